"""Realistic buggy versions of every graded A2 function, each made by one edit of the reference answer.

Each variant names the answer cell it changes (its grade_id), the mistake, and the edit (old -> new text of
the reference answer). `submissions_for_variants` packs variants of independent answer cells into one student,
so one autograde of a small class proves that every variant loses points in its own cell's tests.
"""
from dataclasses import dataclass

from tests.assignment_support import solution_answers

ASSIGNMENT = "a2_translate"


@dataclass(frozen=True)
class Variant:
    cell: str       # grade_id of the answer cell
    name: str
    mistake: str
    old: str
    new: str

    def source(self, answers: dict) -> str:
        reference = answers[self.cell]
        if self.old not in reference:
            raise ValueError(f"variant {self.name}: {self.old!r} is not in the reference answer {self.cell}")
        return reference.replace(self.old, self.new, 1)


VARIANTS = [
    # Part 1: padding and masks
    Variant("padding", "pads_on_the_left", "puts the ids at the end of the row",
            "batch[row, : len(ids)] = ids", "batch[row, length - len(ids):] = ids if ids else []"),
    Variant("padding", "pads_with_ones", "fills with 1 (the <start> id) instead of the padding id 0",
            'batch = np.zeros((len(id_lists), length), dtype="int32")', 'batch = np.ones((len(id_lists), length), dtype="int32")'),
    Variant("padding", "truncates_silently", "cuts long lists instead of raising",
            "raise ValueError(f\"sequence {row} has {len(ids)} ids, more than length={length}\")", "ids = ids[:length]"),
    Variant("padding", "float_ids", "returns floats, which Embedding cannot index with",
            'batch = np.zeros((len(id_lists), length), dtype="int32")', "batch = np.zeros((len(id_lists), length))"),
    Variant("padding", "mask_inverted", "marks the padding instead of the tokens",
            "return np.asarray(ids) != PAD_ID", "return np.asarray(ids) == PAD_ID"),
    # Part 2: teacher forcing
    Variant("teacher_forcing", "no_shift", "decoder target equals decoder input",
            "decoder_target = pad_batch([list(ids) + [END_ID] for ids in target_id_lists], length)",
            "decoder_target = pad_batch([[START_ID] + list(ids) for ids in target_id_lists], length)"),
    Variant("teacher_forcing", "shift_reversed", "<end> goes into the input and <start> into the target",
            "return decoder_input, decoder_target", "return decoder_target, decoder_input"),
    Variant("teacher_forcing", "missing_end", "the target never teaches the model to stop",
            "list(ids) + [END_ID] for ids", "list(ids) for ids"),
    Variant("teacher_forcing", "missing_start", "the decoder input has no <start>",
            "[START_ID] + list(ids) for ids", "list(ids) for ids"),
    Variant("teacher_forcing", "shift_by_two", "drops the first target token from the target",
            "list(ids) + [END_ID] for ids", "list(ids)[1:] + [END_ID] for ids"),
    # Part 3: the training model
    Variant("training_model", "encoder_without_mask", "padding reaches the encoder",
            'embedding_dim, mask_zero=True, name="encoder_embedding"', 'embedding_dim, name="encoder_embedding"'),
    Variant("training_model", "decoder_ignores_encoder", "the decoder starts from zeros, not the encoder state",
            "embedded_target, initial_state=list(encoder_states)", "embedded_target"),
    Variant("training_model", "always_lstm", "ignores cell='gru'",
            "recurrent_layer = layers_by_cell[cell]", "recurrent_layer = keras.layers.LSTM"),
    Variant("training_model", "logits_not_probabilities", "the output layer has no softmax",
            'activation="softmax", name="decoder_output"', 'name="decoder_output"'),
    Variant("training_model", "decoder_uses_source_vocabulary", "the decoder embedding is sized by the source vocabulary",
            "keras.layers.Embedding(target_vocabulary_size", "keras.layers.Embedding(source_vocabulary_size"),
    # Part 4: inference models
    Variant("inference_models", "new_decoder_layer", "builds a fresh LSTM instead of reusing decoder_rnn",
            'decoder_rnn = training_model.get_layer("decoder_rnn")',
            'decoder_rnn = type(training_model.get_layer("decoder_rnn"))(training_model.get_layer("decoder_rnn").units, return_sequences=True, return_state=True)'),
    Variant("inference_models", "states_not_returned", "the decoder model hands back its input states",
            "[probabilities] + list(step_outputs[1:])", "[probabilities] + list(state_inputs)"),
    Variant("inference_models", "decoder_from_zeros", "the decoder step ignores the states it is given",
            '(token_ids), initial_state=state_inputs)', '(token_ids))\n    step_outputs = [step_outputs[0]] + [output + 0.0 * given for output, given in zip(step_outputs[1:], state_inputs)]'),
    Variant("inference_models", "encoder_drops_cell_state", "keeps only h of the LSTM encoder",
            "encoder_model = keras.Model(source_ids, list(encoder_states))",
            "encoder_model = keras.Model(source_ids, [encoder_states[0]] * len(encoder_states))"),
    Variant("inference_models", "new_output_layer", "a fresh Dense output layer with untrained weights",
            'probabilities = training_model.get_layer("decoder_output")(step_outputs[0])',
            'probabilities = keras.layers.Dense(training_model.get_layer("decoder_output").units, activation="softmax")(step_outputs[0])'),
    # Part 5: greedy decoding
    Variant("greedy", "keeps_end_token", "appends <end> to the result",
            "finished[row] = True", "finished[row] = True\n                    decoded[row].append(int(chosen[row]))"),
    Variant("greedy", "feeds_start_every_step", "never feeds back the chosen token",
            'tokens = chosen.reshape(rows, 1).astype("int32")', "pass"),
    Variant("greedy", "states_not_updated", "always passes the encoder's states",
            "states = [keras.ops.convert_to_numpy(state) for state in outputs[1:]]\n        chosen",
            "chosen"),
    Variant("greedy", "stops_all_rows_at_first_end", "ends the batch when any row ends",
            "if finished.all():", "if finished.any():"),
    Variant("greedy", "one_token_short", "an off-by-one in the maximum length",
            "for _ in range(max_length):", "for _ in range(max_length - 1):"),
]


# Answer cells whose tests never call each other's code: one student may carry a variant of each, and a lost
# point still proves that *that* variant was caught (teacher_forcing calls pad_batch, the inference and
# greedy tests call build_training_model, so those never share a student with a bug they depend on).
INDEPENDENT_GROUPS = [("padding", "training_model"), ("teacher_forcing", "inference_models"), ("greedy",)]
# The tests that check each answer cell (the integration test, test_training_lowers_loss, is left out).
TESTS_OF = {
    "padding": {"test_pad_batch", "test_padding_mask"},
    "teacher_forcing": {"test_teacher_forcing_by_hand", "test_teacher_forcing_shift"},
    "training_model": {"test_training_model_layers", "test_training_model_parameters", "test_training_model_shapes_and_state"},
    "inference_models": {"test_inference_models_share_weights", "test_inference_matches_training"},
    "greedy": {"test_greedy_known_output", "test_greedy_matches_training_model"},
}


def submissions_for_variants() -> dict[str, dict[str, Variant]]:
    """student name -> {answer cell: variant}, packing variants of independent cells into one student."""
    by_cell = {}
    for variant in VARIANTS:
        by_cell.setdefault(variant.cell, []).append(variant)
    students = {}
    for group_number, group in enumerate(INDEPENDENT_GROUPS, start=1):
        for index in range(max(len(by_cell[cell]) for cell in group)):
            students[f"buggy_{group_number}_{index + 1}"] = {
                cell: by_cell[cell][index] for cell in group if index < len(by_cell[cell])
            }
    return students


def answers_for(student_variants: dict[str, Variant]) -> dict[str, str]:
    answers = solution_answers(ASSIGNMENT)
    return {**answers, **{cell: variant.source(answers) for cell, variant in student_variants.items()}}
