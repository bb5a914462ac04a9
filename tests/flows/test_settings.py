"""flows.settings.RunSettings: one object says what a run does; nonsense is refused at once,
whoever builds it (the command line, a test, a deployment's JSON parameters)."""

from __future__ import annotations

import json

import pytest

from flows.errors import CptsFactsError
from flows.settings import DEFAULTS, RunSettings

NONSENSE_CASES = [
    pytest.param({"workers": 0}, "workers must be a whole number of 1 or more, not 0",
                 id="workers-0"),
    pytest.param({"batch_size": 0}, "batch_size must be a whole number of 1 or more, not 0",
                 id="batch-size-0"),
    pytest.param({"max_bytes": -1}, "max_bytes must be a whole number of 1 or more, not -1",
                 id="negative-size"),
    pytest.param({"max_pages": 2.5}, "max_pages must be a whole number of 1 or more, not 2.5",
                 id="pages-not-whole"),
    pytest.param({"workers": True}, "workers must be a whole number of 1 or more, not True",
                 id="a-flag-is-no-number"),
    pytest.param({"file_seconds": 0}, "file_seconds must be more than 0, not 0",
                 id="file-seconds-0"),
    pytest.param({"file_memory_mb": 0}, "file_memory_mb must be a whole number of 1 or more",
                 id="file-memory-0"),
    pytest.param({"report_max_docs": -1}, "report_max_docs must be 0 or more, not -1",
                 id="negative-report-docs"),
    pytest.param({"csv_dialect": "excel"}, "unknown CSV dialect 'excel'", id="dialect"),
    pytest.param({"task_runner": "ray"}, "unknown task runner: ray", id="runner"),
    pytest.param({"dask_address": "tcp://h:8786"}, "a Dask address needs the dask task runner",
                 id="address-without-dask"),
]


@pytest.mark.parametrize(("changes", "message"), NONSENSE_CASES)
def test_nonsense_settings_are_refused_in_one_line(changes, message):
    with pytest.raises(CptsFactsError) as caught:
        RunSettings(**changes)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_settings_survive_a_deployment_s_json_parameters():
    settings = RunSettings(inputs=["inbox"], out_dir="/data/out", workers=3, prune=True,
                           report_max_docs=None, incremental=True, wait=True)
    back = RunSettings.of(json.loads(json.dumps(settings.as_dict())))
    assert back == settings and back.inputs == ("inbox",)
    assert RunSettings.of(settings) is settings


def test_an_unknown_setting_is_named():
    with pytest.raises(CptsFactsError, match="unknown run setting: batchsize"):
        RunSettings.of({"batchsize": 3})


def test_run_json_records_how_but_not_from_where():
    recorded = DEFAULTS.recorded()
    assert "inputs" not in recorded and "out_dir" not in recorded
    assert recorded["batch_size"] == 100 and recorded["workers"] == 2
