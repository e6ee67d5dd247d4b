//! The error codes a person may have seen, and what they mean.

/// The connection error codes (Zoom's 1041xx family and its relatives).
pub const CONNECTION_CODES: &[&str] = &[
    "104101", "104102", "104103", "104104", "104105", "104106", "104110", "104111", "104112",
    "104113", "104114", "104115", "104116", "104117", "104118", "10002", "5003", "5004",
];

/// What an error code means, for a person.
pub fn code_meaning(code: &str) -> Option<String> {
    let code = code.trim();
    let text = match code {
        "104101" | "104102" | "104103" | "104104" | "104105" | "104106" | "104110" | "104111"
        | "104112" | "104113" | "104114" | "104115" | "104116" | "104117" | "104118" => {
            "the Zoom app could not reach Zoom's servers"
        }
        "10002" => "the Zoom app lost or could not make its connection to Zoom's servers",
        "5003" => "the Zoom app could not connect to Zoom's servers",
        "5004" => "the Zoom app's connection to Zoom's servers failed",
        _ => return None,
    };
    Some(format!("{code} means {text}"))
}

/// The error code a person typed, as digits: "104103", "Error 104103",
/// "code: 104103", "#104103". Anything else (free text, too short or too
/// long) is None, so no free text ever reaches a report.
pub fn clean_code(input: &str) -> Option<String> {
    let mut rest = input.trim();
    for word in ["error", "code", "#", ":"] {
        if rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word) {
            rest = rest[word.len()..].trim_start();
        }
    }
    ((4..=6).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_digit()))
        .then(|| rest.to_string())
}
