"""Instructor grading tools built on nbgrader: safe, parallel autograding that loses nothing.

Modules:
  engine     one-shot autograde of a whole assignment (preflight, parallel nbgrader shards, results)
  execute    SafeExecute, nbgrader's Execute preprocessor with a whole-notebook time budget and limits
  sandbox    the kernel manager and launcher that isolate each student's kernel
  integrity  the scan of student cells for patching of tests, numpy, keras and IPython
  report     grades CSV, histogram and per-test pass rates
  course     the instructor command line (python grading/course.py --help)
"""
