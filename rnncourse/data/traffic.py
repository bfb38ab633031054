"""Traffic flow on a simulated freeway corridor, a reader for real PeMS files, and real temperatures.

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

3. Two **real** series from NOAA (public domain) as shipped inside the ``vega_datasets`` package,
   read from the installed package, never downloaded:

   * ``load_seattle_temperature`` — Seattle-Tacoma airport hourly temperature **normals**: each value
     is the 30-year average for that hour of that calendar day, labelled with the year 2010 (NOAA
     NORMAL_HLY; vega-datasets' SOURCES.md). It is a real product of measurements but a smooth
     climatology, not one year's weather: "same hour yesterday" predicts it almost perfectly.
   * ``load_seattle_daily_weather`` — daily observations in Seattle, 2012–2015: maximum and
     minimum temperature (°C), precipitation (mm) and wind (m/s). Real weather, with real surprises.
"""
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnncourse.data import cache
from rnncourse.data._optional import require

CACHE_NAME = "traffic"
CACHE_VERSION = 1  # bump whenever the simulator or the sources change, so old caches are rebuilt
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


@dataclass
class HourlySeries:
    timestamps: np.ndarray  # datetime64[h]
    values: np.ndarray  # float32
    filled: np.ndarray  # bool, True where a missing hour was interpolated
    unit: str


@dataclass
class DailyWeather:
    dates: np.ndarray  # datetime64[D]
    values: np.ndarray  # float32 (days, 4), columns as in ``columns``
    columns: tuple = ("temp_max", "temp_min", "precipitation", "wind")  # °C, °C, mm, m/s


# ----------------------------------------------------------------------------------- simulator
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


# ----------------------------------------------------------------------------------- real temperatures
def _read_seattle_temperature():
    vega_datasets = require("vega_datasets", "vega_datasets", purpose="the real Seattle temperature series")
    frame = vega_datasets.local_data.seattle_temps()  # bundled CSV; local_data never touches the network
    timestamps = frame["date"].to_numpy().astype("datetime64[h]")
    celsius = (frame["temp"].to_numpy() - 32) * 5 / 9
    hours = np.arange(timestamps[0], timestamps[-1] + 1, dtype="datetime64[h]")
    present = np.isin(hours, timestamps)  # local time: the clock skipped 02:00 on 14 March (DST)
    values = np.interp(hours.astype(np.int64), timestamps.astype(np.int64), celsius)
    return hours, values.astype(np.float32), ~present, len(frame)


def _read_seattle_daily_weather():
    vega_datasets = require("vega_datasets", "vega_datasets", purpose="the real Seattle daily weather")
    frame = vega_datasets.local_data.seattle_weather()
    dates = frame["date"].to_numpy().astype("datetime64[D]")
    if np.any(np.diff(dates) != np.timedelta64(1, "D")):
        raise ValueError("vega_datasets seattle-weather is not one row per day; check the pinned version")
    return dates, frame[list(DailyWeather.columns)].to_numpy(np.float32)


def _build_arrays(progress=print):
    progress("simulating the traffic corridor (synthetic)")
    corridor = simulate_corridor()
    progress("reading Seattle temperature normals and daily weather from vega_datasets (real)")
    hours, celsius, filled, rows = _read_seattle_temperature()
    weather_dates, weather_values = _read_seattle_daily_weather()
    arrays = {
        "timestamps": corridor.timestamps, "flow": corridor.flow, "speed": corridor.speed,
        "observed": corridor.observed, "in_incident_queue": corridor.in_incident_queue,
        "incidents": corridor.incidents, "holidays": corridor.holidays,
        "temperature_timestamps": hours, "temperature_celsius": celsius, "temperature_filled": filled,
        "weather_dates": weather_dates, "weather_values": weather_values,
    }
    metadata = {
        "corridor": {"synthetic": True, "seed": SEED, "start": START_DATE, "weeks": WEEKS,
                     "detectors": DETECTOR_COUNT, "spacing_km": DETECTOR_SPACING_KM,
                     "steps": int(len(corridor.timestamps)), "incidents": int(len(corridor.incidents)),
                     "missing_fraction": float(1 - corridor.observed.mean())},
        "temperature": {"synthetic": False, "source": "vega_datasets seattle-temps: NOAA hourly 30-year normals",
                        "rows_in_source": rows, "hours": int(len(hours)), "filled_hours": int(filled.sum())},
        "weather": {"synthetic": False, "source": "vega_datasets seattle-weather: NOAA daily observations",
                    "days": int(len(weather_dates)), "columns": list(DailyWeather.columns)},
    }
    return arrays, metadata


def _load(force=False, progress=print):
    return cache.load_or_build(CACHE_NAME, lambda: _build_arrays(progress), CACHE_VERSION, force, progress)


def build(force: bool = False, progress=print):
    """Build (or verify) the cache of the simulated corridor and the Seattle temperatures."""
    arrays, metadata = _load(force, progress)
    corridor, temperature = metadata["corridor"], metadata["temperature"]
    progress(f"corridor: {corridor['steps']} steps x {corridor['detectors']} detectors, "
             f"{corridor['incidents']} incidents, {corridor['missing_fraction']:.1%} missing (synthetic)")
    progress(f"temperature normals: {temperature['hours']} hours, {temperature['filled_hours']} interpolated (real)")
    progress(f"daily weather: {metadata['weather']['days']} days (real)")
    return arrays, metadata


def load_corridor(force: bool = False, progress=print) -> Corridor:
    """The course's simulated corridor (built and cached on first use)."""
    arrays, _ = _load(force, progress)
    fields = ["timestamps", "flow", "speed", "observed", "in_incident_queue", "incidents", "holidays"]
    return Corridor(*(arrays[name] for name in fields))


def load_seattle_temperature(force: bool = False, progress=print) -> HourlySeries:
    """Seattle hourly temperature normals (30-year averages) in °C, one DST gap interpolated."""
    arrays, _ = _load(force, progress)
    return HourlySeries(arrays["temperature_timestamps"], arrays["temperature_celsius"],
                        arrays["temperature_filled"], "°C")


def load_seattle_daily_weather(force: bool = False, progress=print) -> DailyWeather:
    """Real daily weather observed in Seattle, 2012-2015 (1,461 days, none missing)."""
    arrays, _ = _load(force, progress)
    return DailyWeather(arrays["weather_dates"], arrays["weather_values"])
