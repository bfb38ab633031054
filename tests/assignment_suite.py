"""The checks every assignment gets, as one base class: a test module subclasses AssignmentSuite, fills in the
class attributes, and adds only what is specific to its assignment (see tests/test_a3_listen.py).

One simulated class is graded once per assignment (a class-scoped fixture) with the real nbgrader: the
reference answers, the empty release, a half-finished notebook, the buggy variants of tests/aN_variants.py
packed into submissions (each variant's module says how), the correct alternatives, a notebook that imports the
course package into its answer cells and one that pastes the course's own code.

What tests/aN_variants.py provides (CONTRIBUTING.md, "Tests of the tests"):
  VARIANTS                 realistic buggy answers, at least 5 per graded answer cell; each must lose points
  submissions_for_variants(), grade_ids_checking(function, grade_ids)
  CORRECT_ALTERNATIVES     name -> {answer grade_id: source}: correct answers written another way (at least 3)
  COURSE_IMPORT            {answer grade_id: source} importing the course package; COURSE_IMPORT_POINTS is all
                           it may earn (what the student really wrote)
  COURSE_COPY              {answer grade_id: source} pasting the course's own code: at most a third of the points
"""
import html
import json
import re
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

from tests.assignment_support import (check_correct_submission, hidden_lines_in_feedback, leaked_secret_lines,
                                      markers_in_release, nbgrader_cells, release_path, solution_answers,
                                      source_path, stale_release_differences, validator)
from tests.grading_support import REPOSITORY, grade_class, make_submission


class AssignmentSuite:
    assignment: str
    total_points: int
    part_points: dict        # answer cell grade_id -> points of the tests that check it
    variants: ModuleType     # tests.aN_variants: VARIANTS, submissions_for_variants(), grade_ids_checking()
    datasets: tuple          # datasets the notebook loads, built before any kernel runs it
    half_done: tuple         # the two answers a half-finished notebook has
    header_line: str         # text of the notebook's title, to recognise the graded notebook in feedback
    recurrent_answers: tuple  # answers whose points are on recurrent ideas (gates, state, gradients, decoding)
    correct_seconds_target = 6.0  # median seconds for a correct submission; A2, which trains, allows 15
    MINIMUM_VARIANTS_PER_ANSWER = 5
    MINIMUM_ALTERNATIVES = 3
    MINIMUM_RECURRENT_SHARE = 0.6

    def pytest_generate_tests(self, metafunc):
        if "variant" in metafunc.fixturenames:
            metafunc.parametrize("variant", self.variants.VARIANTS, ids=lambda variant: f"{variant.function}-{variant.name}")

    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def datasets_built(cls):
        """A first build inside an autograded cell would run into the per-cell time limit. An assignment that
        makes its own data lists none (an empty list would make build_datasets build every dataset)."""
        from rnncourse.data import build_datasets

        if cls.datasets:
            assert build_datasets(cls.datasets, progress=lambda message: None) == 0

    @pytest.fixture(scope="class")
    @classmethod
    def graded(cls, tmp_path_factory):
        workdir = tmp_path_factory.mktemp(f"{cls.assignment}_class")
        return workdir, grade_class(cls.assignment, cls.class_submissions(), workdir)

    @classmethod
    def class_submissions(cls) -> dict:
        answers = solution_answers(cls.assignment)
        submissions = {
            "correct": make_submission(cls.assignment, answers),
            "empty_release": make_submission(cls.assignment, {}),
            "half_done": make_submission(cls.assignment, {name: answers[name] for name in cls.half_done}),
        }
        for student, variants in cls.variants.submissions_for_variants().items():
            mixed = dict(answers)
            mixed.update({function: variant.source for function, variant in variants.items()})
            submissions[student] = make_submission(cls.assignment, mixed)
        for name, alternative in cls.variants.CORRECT_ALTERNATIVES.items():
            submissions[f"alternative_{name}"] = make_submission(cls.assignment, {**answers, **alternative})
        submissions["course_import"] = make_submission(cls.assignment, cls.variants.COURSE_IMPORT)
        submissions["course_copy"] = make_submission(cls.assignment, cls.variants.COURSE_COPY)
        return submissions

    # -- the notebooks ------------------------------------------------------------------------------------
    def test_points_add_up_to_the_stated_total(self):
        source = nbformat.read(source_path(self.assignment), as_version=4)
        tests = nbgrader_cells(source, "grade")
        assert sum(cell.metadata["nbgrader"]["points"] for cell in tests.values()) == self.total_points
        for function, points in self.part_points.items():
            cells = self.variants.grade_ids_checking(function, tests)
            assert sum(tests[grade_id].metadata["nbgrader"]["points"] for grade_id in cells) == points, function
        assert f"**Total: {self.total_points} points**" in source.cells[0].source, "the student header must state the total"

    def test_enough_variants_alternatives_and_recurrent_points(self):
        counts = {answer: sum(variant.function == answer for variant in self.variants.VARIANTS) for answer in self.part_points}
        thin = {answer: count for answer, count in counts.items() if count < self.MINIMUM_VARIANTS_PER_ANSWER}
        assert not thin, f"answers with fewer than {self.MINIMUM_VARIANTS_PER_ANSWER} buggy variants: {thin}"
        assert len(self.variants.CORRECT_ALTERNATIVES) >= self.MINIMUM_ALTERNATIVES, "too few correct alternatives"
        recurrent = sum(self.part_points[answer] for answer in self.recurrent_answers)
        assert recurrent >= self.MINIMUM_RECURRENT_SHARE * self.total_points, (
            f"only {recurrent} of {self.total_points} points are on recurrent ideas")

    def test_setup_cell_declares_the_graded_contract(self):
        """The judge binds exactly the names GRADED declares; each graded function has its answer cell."""
        from grading.judge import graded_contract

        contract = graded_contract(nbformat.read(source_path(self.assignment), as_version=4))
        answers = "\n".join(solution_answers(self.assignment).values())
        for name in contract["functions"]:
            assert re.search(rf"^def {name}\(", answers, re.M), f"GRADED names {name}, but no answer cell defines it"
        for name in contract["values"]:
            assert re.search(rf"^{name}\s*=", answers, re.M), f"GRADED names the value {name}, but no answer sets it"

    def test_source_validates(self, monkeypatch):
        """nbgrader's Validator runs the whole source, hidden blocks too, in a kernel; the hidden blocks import
        grading.references.<assignment>, so that kernel (never a student's) gets the repository on its path."""
        monkeypatch.setenv("PYTHONPATH", str(REPOSITORY))
        result = validator().validate(str(source_path(self.assignment)))
        assert result == {}, f"the {self.assignment} source fails its own tests: {json.dumps(result)[:3000]}"

    def test_release_fails_every_test(self):
        release = nbformat.read(release_path(self.assignment), as_version=4)
        answers = nbgrader_cells(release, "solution")
        assert set(answers) == set(self.part_points), f"answer cells in the release: {sorted(answers)}"
        assert all("raise NotImplementedError()" in cell.source for cell in answers.values())
        source = nbformat.read(source_path(self.assignment), as_version=4)
        assert len(nbgrader_cells(release, "grade")) == len(nbgrader_cells(source, "grade"))
        result = validator(invert=True).validate(str(release_path(self.assignment)))
        assert result == {}, f"these test cells pass on the empty release: {json.dumps(result)[:3000]}"

    def test_release_has_no_solution_or_hidden_test_text(self):
        assert markers_in_release(self.assignment) == [], "nbgrader markers reached the release"
        leaked, checked = leaked_secret_lines(self.assignment)
        assert checked > 20, f"only {checked} secret lines were found in the source: is the leak check still reading it?"
        assert leaked == [], f"solution or hidden-test lines reached the release: {leaked[:3]}"

    # -- the graded class ---------------------------------------------------------------------------------
    def test_correct_submission_gets_every_point_quickly(self, graded):
        workdir, result = graded
        check_correct_submission(workdir, result, self.assignment, self.total_points, self.correct_seconds_target)

    def test_expected_grades_for_the_class(self, graded):
        _, result = graded
        assert result.scores["empty_release"]["total"] == 0, result.scores["empty_release"]["tests"]
        half = sum(self.part_points[name] for name in self.half_done)
        assert result.scores["half_done"]["total"] == half, result.scores["half_done"]["tests"]
        rows = result.csv_path.read_text().strip().splitlines()
        assert len(rows) == 1 + len(result.students), "one CSV row per student"

    def test_committed_release_equals_a_fresh_generation(self, graded):
        workdir, _ = graded
        fresh = workdir / "grading-work" / "base" / "release" / self.assignment / f"{self.assignment}.ipynb"
        assert fresh.exists(), f"grading.engine no longer leaves its generated release at {fresh}"
        differences = stale_release_differences(self.assignment, fresh)
        assert differences == [], (
            f"assignments/{self.assignment} differs from a fresh generation ({differences[:5]}): run "
            f"`nbgrader generate_assignment {self.assignment} --force` from the repository root and commit the result")

    def test_feedback_shows_visible_tests_but_no_hidden_tests(self, graded):
        """Every student gets the graded notebook as feedback (not the score table that grading.engine
        substitutes when it finds hidden-test text), and no hidden-test line appears in it, not even in a
        traceback."""
        _, result = graded
        for student, path in result.feedback.items():
            document = Path(path).read_text(encoding="utf-8")
            visible = html.unescape(re.sub(r"<[^>]+>", "", document))
            withheld = [problem for problem in result.scores[student]["problems"] if "hidden-test text" in problem]
            assert not withheld, f"{student}'s feedback was withheld: {withheld}"
            assert self.header_line in visible, f"{student}'s feedback is not the graded notebook"
            leaked = hidden_lines_in_feedback(self.assignment, Path(path))
            assert not leaked, f"{student}'s feedback shows hidden-test lines: {leaked[:3]}"

    def test_every_buggy_variant_loses_points(self, graded, variant):
        _, result = graded
        student = next(student for student, variants in self.variants.submissions_for_variants().items()
                       if variants.get(variant.function) == variant)
        tests = result.scores[student]["tests"]
        checking = self.variants.grade_ids_checking(variant.function, tests)
        lost = sum(maximum - score for test, (score, maximum) in tests.items() if test in checking)
        assert lost > 0, f"{variant.name} ({variant.mistake}) kept every point of {variant.function}'s tests"

    def test_every_correct_alternative_gets_full_marks(self, graded):
        _, result = graded
        for name in self.variants.CORRECT_ALTERNATIVES:
            score = result.scores[f"alternative_{name}"]
            lost = {test: points for test, points in score["tests"].items() if points[0] < points[1]}
            assert score["total"] == self.total_points, f"the correct alternative {name} lost points in {lost}"

    def test_importing_the_course_package_earns_only_what_was_written(self, graded):
        _, result = graded
        score = result.scores["course_import"]
        assert score["total"] <= self.variants.COURSE_IMPORT_POINTS, (
            f"answers that import the course package scored {score['total']}, more than the "
            f"{self.variants.COURSE_IMPORT_POINTS} their own code earns: {score['tests']}")

    def test_pasting_the_course_code_earns_at_most_a_third(self, graded):
        _, result = graded
        score = result.scores["course_copy"]
        assert score["total"] <= self.total_points / 3, (
            f"pasting the course's own code scored {score['total']} of {self.total_points}: {score['tests']}")
