//! The guided steps: things to do by hand, with why, how and how to tell it worked.

use md_model::ids::StepId;

use crate::Step;

pub(crate) fn step(id: StepId) -> Step {
    let (title, why, how, worked_if) = match id {
        StepId::SignInPortal => (
            "Sign in to the Wi-Fi",
            "Hotel, airport and café networks hold everything back until you accept their terms.",
            "Open a web browser and visit any site; the sign-in page appears. Accept it, then open Zoom.",
            "Web pages open normally and Meeting Doctor's checks turn green.",
        ),
        StepId::RestartRouter => (
            "Restart the router",
            "A router that has run for weeks can hold stale connections and lookups.",
            "Unplug the router (and modem) for 30 seconds, plug back in, wait two minutes.",
            "The internet check passes again.",
        ),
        StepId::TryHotspot => (
            "Try another network, such as a phone hotspot",
            "It tells at once whether the problem is this network or this computer.",
            "Turn on your phone's hotspot, join it, and run the check again (use \"Test on another network\").",
            "If Zoom works on the hotspot, this network blocks Zoom; if not, the cause is on this computer.",
        ),
        StepId::UseEthernet => (
            "Use a cable instead of Wi-Fi",
            "A cable connection does not drop or slow down the way Wi-Fi does.",
            "Plug the computer into the router with a network cable.",
            "Delay, jitter and loss checks improve.",
        ),
        StepId::MoveCloser => (
            "Move closer to the Wi-Fi router",
            "A weak signal loses and delays the packets sound and video need.",
            "Sit in the same room as the router, or away from thick walls and microwaves.",
            "The connection checks improve.",
        ),
        StepId::TurnOffVpn => (
            "Try once without the VPN",
            "A VPN can slow, filter or reroute Zoom's traffic.",
            "Disconnect the VPN app, run the check again, and try the meeting.",
            "If Zoom works without the VPN, ask its administrator to let Zoom bypass it (split tunnelling).",
        ),
        StepId::SipAlg => (
            "Turn off SIP ALG on the router",
            "This router feature rewrites call traffic and can break audio and video.",
            "Open the router's settings page, find SIP ALG (often under Advanced or NAT), turn it off and restart the router.",
            "Audio and video checks pass after the restart.",
        ),
        StepId::BrowserClient => (
            "Join from a web browser",
            "If the browser works but the app doesn't, the app or its settings are the problem.",
            "Open the meeting link and choose \"Join from your browser\".",
            "You can join in the browser.",
        ),
        StepId::NewLocalUser => (
            "Test in a new user account",
            "A damaged user profile can hold bad proxy, certificate or app settings.",
            "Create a temporary local user on this computer, sign in as that user and try Zoom.",
            "If Zoom works there, the problem is in your usual profile's settings.",
        ),
        StepId::ReinstallZoom => (
            "Reinstall Zoom (the right version for this computer)",
            "Damaged or outdated app files can stop Zoom from connecting.",
            "Uninstall Zoom normally, download it again from zoom.us/download (Apple Silicon Macs: the Apple Silicon build), install and restart.",
            "The Zoom app check shows the new version and meetings connect.",
        ),
        StepId::UpdateZoom => (
            "Update Zoom",
            "Old versions are refused by Zoom's servers and miss connection fixes.",
            "In Zoom, open your profile picture and choose \"Check for Updates\".",
            "Zoom reports it is up to date.",
        ),
        StepId::PauseSecurityTest => (
            "Pause security software for one short test",
            "It tells whether the antivirus or web shield is filtering Zoom.",
            "Pause its web or network protection for 10 minutes, join a test meeting, then turn protection back on. If Zoom worked, add Zoom as an exception instead of leaving protection off.",
            "Zoom joins while paused: add an exception for Zoom and turn protection back on.",
        ),
        StepId::AskAdmin => (
            "Ask the network administrator",
            "On work and school networks, only the administrator can change what is blocked.",
            "Send them the administrator note from the report (Copy for a technician).",
            "The administrator confirms Zoom is allowed, and the checks pass.",
        ),
        StepId::ProxySignIn => (
            "Sign in to the proxy, or ask for Zoom to be let through",
            "The proxy wants a user name and password that the Zoom app may not be asking for.",
            "In Zoom's settings, open Network > Proxy and enter your work sign-in, or ask the administrator to let zoom.us through without one.",
            "The proxy check passes.",
        ),
        StepId::CheckStatusPage => (
            "Watch Zoom's status page",
            "When Zoom itself has a problem, nothing on this computer can fix it.",
            "Open status.zoom.us and wait for the problem to be resolved.",
            "The status page shows all systems operational.",
        ),
        StepId::SetTimeAuto => (
            "Set the clock to update automatically",
            "Secure connections fail when the computer's date or time is wrong.",
            "In the date and time settings, turn on \"Set time automatically\".",
            "The clock check passes.",
        ),
        StepId::QuitZoomFully => (
            "Quit Zoom completely and start it again",
            "A half-closed Zoom can keep the new one from connecting.",
            "Quit Zoom from its tray or menu-bar icon (not just the window), then start it again.",
            "Zoom starts and connects.",
        ),
        StepId::RestartComputer => (
            "Restart the computer",
            "It reloads the network settings and clears stuck connections.",
            "Save your work and restart.",
            "The checks pass after the restart.",
        ),
        StepId::ContactIsp => (
            "Contact your internet provider",
            "If several devices fail at home but work on mobile data, the provider's line or filter is the likely cause.",
            "Call them with the report from Meeting Doctor.",
            "The provider finds and fixes the fault.",
        ),
    };
    Step {
        id,
        title: title.into(),
        why: why.into(),
        how: how.into(),
        worked_if: worked_if.into(),
    }
}
