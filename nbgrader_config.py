# nbgrader reads nbgrader_config.py from the folder it runs in; the course's real configuration is
# grading/nbgrader_config.py, loaded here so that `nbgrader ...` and `jupyter lab` work from the root.
load_subconfig("grading/nbgrader_config.py")  # noqa: F821
