//! The CLI end to end, in one binary: exit codes and output on a closed
//! pipe, the namespace lab (every broken network the lab builds), real
//! fixes and undo, the administrator boundary, and the Windows build under
//! Wine beside the Linux one.

mod boundary;
mod common;
mod fix;
mod lab;
mod output;
mod windows;
