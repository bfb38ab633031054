"""Lesson 04 (real pedestrian counts: LSTM and GRU against classical baselines) runs in budget; its table is sound."""
import pytest

from rnncourse.runner import execute_lesson

BUDGET_SECONDS = 180
MODELS = {"seasonal naive", "historical average", "seasonal ARIMA", "LSTM", "GRU"}


@pytest.fixture(scope="module")
def lesson_run(repository, tmp_path_factory):
    return execute_lesson(repository / "lessons" / "04_traffic_forecasting.ipynb",
                          results_dir=tmp_path_factory.mktemp("results_04"))


def test_the_table_has_every_model_with_sound_numbers(lesson_run):
    metrics = lesson_run.results["metrics"]
    table = {row["model"]: row for row in metrics["results_table"]}
    assert set(table) == MODELS
    for name, row in table.items():
        assert 0 < row["MAE"] <= row["RMSE"], f"{name}: RMSE can never be below MAE"
        assert 0 < row["MAPE (%)"] < 100, name
    assert table["GRU"]["parameters"] < table["LSTM"]["parameters"], "a GRU layer has 3 gates' weights, an LSTM 4"
    assert table["LSTM"]["train (s)"] > 0 and table["GRU"]["train (s)"] > 0
    assert table["seasonal ARIMA"]["parameters"] == 5  # constant, two AR, one MA, the noise variance


def test_the_comparison_is_the_one_the_text_describes(lesson_run):
    metrics = lesson_run.results["metrics"]
    mae = {row["model"]: row["MAE"] for row in metrics["results_table"]}
    # The classical bar is real: ARIMA on weekly differences beats the seasonal naive forecast it starts from,
    # and so do both networks.
    assert mae["seasonal ARIMA"] < 0.85 * mae["seasonal naive"], mae
    assert max(mae["LSTM"], mae["GRU"]) < mae["seasonal naive"], mae
    best_classical = min(("seasonal naive", "historical average", "seasonal ARIMA"), key=mae.get)
    best_network = min(("LSTM", "GRU"), key=mae.get)
    assert (metrics["best_classical"], metrics["best_network"]) == (best_classical, best_network)
    assert metrics["improvement_over_best_classical"] == pytest.approx(1 - mae[best_network] / mae[best_classical])
    # Where the weekly pattern breaks (holidays and the week after), the network that has the calendar wins.
    unusual = {row["model"]: row["holiday or week after"] for row in metrics["breakdown"]}
    assert unusual[best_network] < 0.8 * unusual["seasonal ARIMA"], unusual
    # Gaps are masked, not filled: a few test hours are not scored, and almost all are.
    assert 8700 <= metrics["scored_hours"] < metrics["test_hours"] == 8760
    # COVID-19 broke stationarity: 2021 was far below 2019.
    assert metrics["relative_level_by_year"]["2021"] < 0.7 and set(metrics["relative_level_by_year"]) == {
        str(year) for year in range(2019, 2026)}


def test_lesson_04_runs_in_budget(lesson_run):
    assert lesson_run.seconds <= BUDGET_SECONDS, f"lesson 04 took {lesson_run.seconds:.0f} s; the budget is {BUDGET_SECONDS} s"
