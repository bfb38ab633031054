"""Lesson 04 (traffic forecasting) runs headless within its budget and reaches its targets."""
from rnncourse.runner import execute_lesson

BUDGET_SECONDS = 180
REQUIRED_IMPROVEMENT = 0.20  # both RNNs' 15-minute MAE at most 80 % of the historical average's


def test_lesson_04_runs_in_budget_and_beats_historical_average(repository, tmp_path):
    run = execute_lesson(repository / "lessons" / "04_traffic_forecasting.ipynb", results_dir=tmp_path)
    metrics = run.results["metrics"]
    mae_15 = metrics["mae_15min"]
    for model in ("LSTM", "GRU"):
        assert mae_15[model] <= (1 - REQUIRED_IMPROVEMENT) * mae_15["historical average"], (
            f"{model} 15-min MAE {mae_15[model]:.2f} is not 20 % below the historical average "
            f"{mae_15['historical average']:.2f}")
    # The table has every model at every horizon with finite, positive errors and real sizes.
    table = metrics["traffic_table"]
    assert {(row["horizon (min)"], row["model"]) for row in table} == {
        (minutes, model) for minutes in (5, 15, 30)
        for model in ("last value", "historical average", "linear AR", "LSTM", "GRU")}
    assert all(row["MAE"] > 0 and row["RMSE"] >= row["MAE"] and row["MAPE (%)"] > 0 for row in table)
    sizes = {row["model"]: row["parameters"] for row in table}
    assert sizes["GRU"] < sizes["LSTM"], "a GRU layer has 3 gates' weights, an LSTM 4"
    assert metrics["train_seconds"]["LSTM"] > 0 and metrics["train_seconds"]["GRU"] > 0
    # The real-data part ran on both series and recorded every model.
    for key in ("normals_table", "daily_weather_table"):
        assert len(metrics[key]) == 3 * 5 and all(row["MAE (°C)"] > 0 for row in metrics[key])
    # Last, so that a slow machine still reports whether the numbers were reached.
    assert run.seconds <= BUDGET_SECONDS, f"lesson 04 took {run.seconds:.0f} s; the budget is {BUDGET_SECONDS} s"
