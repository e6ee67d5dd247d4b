//! Every fix as a script to paste into an administrator shell (PowerShell
//! on Windows, sh elsewhere), for remote sessions where the elevation
//! prompt appears on a desktop the technician cannot see.
