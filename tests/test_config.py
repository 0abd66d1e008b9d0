import pytest

from station.config import SettingsError, load_settings


def test_file_then_environment(tmp_path):
    cfg = tmp_path / "station.toml"
    cfg.write_text('station_id = "counter-7"\ndaily_count_required = false\n', encoding="utf-8")
    s = load_settings(cfg, environ={"STATION_CARD_READER": "ACS ACR38U 00 00"})
    assert s.station_id == "counter-7"
    assert s.daily_count_required is False
    assert s.card_reader == "ACS ACR38U 00 00"
    s = load_settings(cfg, environ={"STATION_DAILY_COUNT_REQUIRED": "yes"})
    assert s.daily_count_required is True


def test_unknown_key_names_the_line(tmp_path):
    cfg = tmp_path / "station.toml"
    cfg.write_text('station_id = "a"\n\nprinter_ur = "x"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"station.toml:3: unknown setting 'printer_ur'"):
        load_settings(cfg, environ={})


def test_bad_values_are_typed(tmp_path):
    cfg = tmp_path / "station.toml"
    cfg.write_text("station_id = [1]\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="must be a string"):
        load_settings(cfg, environ={})
    with pytest.raises(SettingsError, match="true or false"):
        load_settings(tmp_path / "none.toml", environ={"STATION_DAILY_COUNT_REQUIRED": "maybe"})
    cfg.write_text("station_id = \n", encoding="utf-8")
    with pytest.raises(SettingsError, match="line 1"):
        load_settings(cfg, environ={})


def test_reader_names_are_one_bounded_line(tmp_path):
    none = tmp_path / "none.toml"
    assert load_settings(none, environ={}).desk_reader == ""  # no desktop reader by default
    s = load_settings(none, environ={"STATION_DESK_READER": " ACS ACR39U 00 00 "})
    assert s.desk_reader == "ACS ACR39U 00 00"
    cfg = tmp_path / "station.toml"
    cfg.write_text('desk_reader = "ACS\\u001b[2J 00"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="reader name") as bad:
        load_settings(cfg, environ={})
    assert "station.toml" in str(bad.value.detail) and "\x1b" not in str(bad.value)
    with pytest.raises(SettingsError, match="at most"):
        load_settings(none, environ={"STATION_CARD_READER": "R" * 201})
