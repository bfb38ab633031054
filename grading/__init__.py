"""Instructor grading tools built on nbgrader: trusted, parallel autograding that loses nothing.

Modules (grading/README.md says what each layer stops):
  course      the instructor command line (python grading/course.py --help)
  collect     submissions from a zip or the exchange, without following links, with their times
  engine      one-shot autograde of a whole assignment (orchestration only)
  preflight   reads each raw submission; whatever it holds becomes that student's problems
  shards      course folders and the nbgrader processes that grade them
  settings    GradingLimits and the one function that renders nbgrader's configuration
  execute     SafeExecute: the two-phase run (answers in the kernel, tests in the judge), budget and limits
  judge       the test cells, run in the grader's process; plain_data is what crosses
  sandbox     the kernel manager: fresh uid, cgroups, allow-list environment, cleanup
  confine     the kernel side: allow-list root, namespaces, limits, no_new_privs
  cgroups     per-student memory, process and CPU limits (v1 and v2)
  preload     kernels forked from a server that has imported TensorFlow once
  feedback    the leak check (any encoding), the feedback documents, the output cap
  integrity   a first scan of student cells for patching
  lateness    submission times and lateness
  report      grades CSV, histogram and per-test pass rates
"""
