//! Elevation as a command spec: the fix runs again, by id, in this program
//! started with administrator rights (pkexec, osascript, Start-Process
//! -Verb RunAs). Declined, cancelled, not authorized and failed are told
//! apart.
