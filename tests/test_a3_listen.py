"""Assignment A3 ("listen"): the source validates, the release is generated and fails every test, and a
simulated class, including every buggy variant in tests/a3_variants.py (packed one per answer into each
submission), autogrades as expected with the real nbgrader. The shared checks are in tests/assignment_suite.py.
"""
import nbformat

from tests import a3_variants
from tests.assignment_suite import AssignmentSuite
from tests.assignment_support import nbgrader_cells, source_path


class TestA3Listen(AssignmentSuite):
    assignment = "a3_listen"
    total_points = 30
    part_points = {"frame_signal": 5, "power_spectrum": 3, "mel_scale": 3, "mel_filterbank": 5,
                   "log_mel_spectrogram": 3, "mfcc": 3, "normalize_splits": 3, "build_classifier": 3}
    variants = a3_variants
    datasets = ("speech",)
    half_done = ("frame_signal", "normalize_splits")
    header_line = "Turn a waveform into the features a recurrent network hears"

    def test_whole_pipeline_has_its_own_points(self):
        """test_pipeline_dataset_utterances checks the whole chain on dataset utterances, not one answer."""
        tests = nbgrader_cells(nbformat.read(source_path(self.assignment), as_version=4), "grade")
        assert tests["test_pipeline_dataset_utterances"].metadata["nbgrader"]["points"] == 2
        answer_points = sum(self.part_points.values())
        assert answer_points + 2 == self.total_points, "every point belongs to one answer or to the pipeline test"
