"""Bytes on the wire: commands, responses, status words, transports and tracing."""

from station.apdu.cardos import CardOS
from station.apdu.command import Case, Command, Response, parse_hex
from station.apdu.status import (
    ApplicationBlocked,
    AuthFailed,
    AuthMethodBlocked,
    ConditionsNotSatisfied,
    DataNotFound,
    FileNotFound,
    MacInvalid,
    PinBlocked,
    PinWrong,
    RecordNotFound,
    ReferenceDataInvalid,
    SecurityNotSatisfied,
    StatusError,
    WrongLength,
    describe,
    error_for,
    meaning,
    tries_left,
)
from station.apdu.trace import TraceEntry, Tracer
from station.apdu.transport import SendFn, Transport
from station.apdu.virtual import VirtualTransport

__all__ = [
    "ApplicationBlocked",
    "AuthFailed",
    "AuthMethodBlocked",
    "CardOS",
    "Case",
    "Command",
    "ConditionsNotSatisfied",
    "DataNotFound",
    "FileNotFound",
    "MacInvalid",
    "PinBlocked",
    "PinWrong",
    "RecordNotFound",
    "ReferenceDataInvalid",
    "Response",
    "SecurityNotSatisfied",
    "SendFn",
    "StatusError",
    "TraceEntry",
    "Tracer",
    "Transport",
    "VirtualTransport",
    "WrongLength",
    "describe",
    "error_for",
    "meaning",
    "parse_hex",
    "tries_left",
]
