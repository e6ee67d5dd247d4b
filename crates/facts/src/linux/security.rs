//! Security software: known agents that filter traffic.

use super::*;

/// Security products recognised by a running process's name (the kernel
/// keeps 15 characters of it): data, not code.
pub const SECURITY_PROCESSES: &[(&str, &str)] = &[
    ("falcon-sensor", "CrowdStrike Falcon"),
    ("s1-agent", "SentinelOne"),
    ("sentinelone", "SentinelOne"),
    ("wdavdaemon", "Microsoft Defender for Endpoint"),
    ("mdatp", "Microsoft Defender for Endpoint"),
    ("sophos-spl", "Sophos Protection"),
    ("savd", "Sophos Anti-Virus"),
    ("esets", "ESET"),
    ("oneav", "ESET"),
    ("clamd", "ClamAV"),
    ("freshclam", "ClamAV"),
    ("ds_agent", "Trend Micro Deep Security"),
    ("cbagentd", "VMware Carbon Black"),
    ("cybereason", "Cybereason"),
    ("elastic-endpoin", "Elastic Endpoint"),
    ("wazuh-agentd", "Wazuh"),
    ("zsatunnel", "Zscaler"),
    ("zstunnel", "Zscaler"),
    ("PanGPS", "Palo Alto GlobalProtect"),
];

/// The products among running process names, each once.
pub fn security_from_processes(names: &[String]) -> Vec<SecurityProduct> {
    let mut out: Vec<SecurityProduct> = Vec::new();
    for (process, product) in SECURITY_PROCESSES {
        if names.iter().any(|n| n == process) && !out.iter().any(|p| p.name == *product) {
            out.push(SecurityProduct {
                name: (*product).to_string(),
                enabled: Some(true),
                up_to_date: None,
                seen_in: format!("process {process}"),
            });
        }
    }
    out
}
