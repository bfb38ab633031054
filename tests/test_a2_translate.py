"""Assignment A2 ("translate": attention and decoding): additive attention masked over padding, beam search
with length normalisation over a step function, corpus BLEU from its definition. The shared checks of every
assignment (validation, release, a simulated class with the buggy variants of tests/a2_variants.py, the
correct alternatives, the course-import and lesson-copy answers) are in tests/assignment_suite.py; here, what
is specific to A2: the instructor-only reference agrees with sacrebleu and with greedy decoding, the decoder
is a counted callback, and neither the package nor a lesson holds an answer.
"""
import re

import nbformat

from tests import a2_variants
from tests.assignment_suite import AssignmentSuite
from tests.assignment_support import REPOSITORY, nbgrader_cells, source_path


class TestA2Translate(AssignmentSuite):
    assignment = "a2_translate"
    total_points = 30
    part_points = {"additive_attention": 10, "beam_search": 12, "corpus_bleu": 8}
    variants = a2_variants
    datasets = ()
    half_done = ("additive_attention", "corpus_bleu")
    header_line = "attention and decoding, from their definitions"
    recurrent_answers = ("additive_attention", "beam_search")  # 22 of 30 points: where the decoder looks, how it decodes
    # Issue 16 allows A2 15 s. Measured 3.8 s (class of 19, load average above 20 on 2 cores); about 125 decoder
    # callbacks and 80 function calls cross to the kernel, each a round trip of the judge.
    correct_seconds_target = 15.0



    def test_step_function_tests_count_the_decoder_calls(self):
        """The call-counting test passes the step function as an argument, so under the judge it is a callback:
        the student's code cannot see the decoder, and every call is counted where the asserts run."""
        tests = nbgrader_cells(nbformat.read(source_path(self.assignment), as_version=4), "grade")
        source = tests["test_beam_calls_and_max_length"].source
        assert "calls.append" in source and "beam_search(recording(" in source

    def test_off_limits_cover_the_libraries_that_answer(self):
        from grading.judge import graded_contract

        contract = graded_contract(nbformat.read(source_path(self.assignment), as_version=4))
        for module in ("keras", "tensorflow", "sacrebleu", "rnncourse"):
            assert module in contract["off_limits"], f"{module} computes a graded answer and must be off limits"

    def test_no_answer_in_the_package_or_the_lessons(self):
        """rnncourse defines none of the graded functions; no lesson defines the attention or BLEU answers (lesson
        05's own beam search has no length normalisation and another algorithm: tests/a2_variants.COURSE_COPY)."""
        package = "\n".join(path.read_text(encoding="utf-8") for path in (REPOSITORY / "rnncourse").rglob("*.py"))
        for name in ("additive_attention", "beam_search", "corpus_bleu"):
            assert not re.search(rf"def {name}\b", package), f"rnncourse defines {name}, a graded A2 answer"
        for lesson in sorted((REPOSITORY / "lessons").glob("*.ipynb")):
            text = "\n".join(cell.source for cell in nbformat.read(lesson, as_version=4).cells)
            for name in ("additive_attention", "corpus_bleu"):
                assert not re.search(rf"def {name}\b", text), f"{lesson.name} defines {name}, a graded A2 answer"


def test_reference_bleu_equals_sacrebleu():
    """The hidden tests' two references agree exactly: BLEU from its definition and sacrebleu without
    smoothing or tokenisation, on the course's French pairs with one to three references and random edits."""
    from grading.references import a2_translate as reference
    from rnncourse.data import translation

    pairs, _ = translation.generate_pairs("fr", counts={"date": 40, "number": 40}, progress=lambda message: None)
    tokens = [translation.tokenize(french) for _, french in pairs]
    for seed in range(8):
        hypotheses = reference.perturbed(tokens, seed, edits=seed % 4)
        several = [[sentence] + reference.perturbed([sentence] * (index % 3), seed + index) for index, sentence in enumerate(tokens)]
        for order in (1, 2, 4):
            assert reference.corpus_bleu(hypotheses, several, order) == reference.sacrebleu_bleu(hypotheses, several, order)
    assert reference.corpus_bleu([[]], [[["un"]]]) == reference.sacrebleu_bleu([[]], [[["un"]]])


def test_reference_beam_of_width_one_is_greedy_and_returns_beam_width_hypotheses():
    from grading.references import a2_translate as reference

    namespace = {}
    setup = nbgrader_cells(nbformat.read(source_path("a2_translate"), as_version=4), "locked")["setup"].source
    exec(compile(setup, "<A2 setup cell>", "exec"), namespace)
    for seed in range(30):
        decoder = namespace["toy_decoder"](seed)
        tokens, total, _ = reference.greedy(decoder, 0, 1, 8)
        assert reference.beam_search(decoder, 0, 1, 1, 8) == [(tokens, total)]
        found = reference.beam_search(decoder, 0, 1, 4, 8, alpha=0.7)
        assert len(found) == 4 and [score for _, score in found] == sorted((score for _, score in found), reverse=True)
