//! Windows readers: command specs and parsers (PowerShell JSON preferred).
