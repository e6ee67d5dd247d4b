//! Windows: the PowerShell form, tested as text (it cannot run here).

use super::*;

const ZOE_EXE: &str = r"C:\Users\Zoë O'Brien\AppData\Roaming\Zoom\bin\Zoom.exe";

fn windows_env() -> FixEnv {
    let mut env = FixEnv::bare(Os::Windows, r"C:\Users\Zoë O'Brien");
    env.vars.insert(
        "APPDATA".into(),
        r"C:\Users\Zoë O'Brien\AppData\Roaming".into(),
    );
    env.zoom = Some(ZoomInstall {
        installed: true,
        path: Some(ZOE_EXE.into()),
        ..Default::default()
    });
    env.firewall = Some(FirewallState {
        product: "Windows Defender Firewall".into(),
        zoom_rules: vec![FirewallRule {
            id: Some("Block Zoom ’quoted’ $(evil) `n; '".into()),
            name: "Block Zoom ’quoted’ $(evil) `n; '".into(),
            direction: "in".into(),
            action: "block".into(),
            enabled: true,
            program: Some(ZOE_EXE.into()),
        }],
        ..Default::default()
    });
    env.interface = Some("Ethernet 2 ‘Büro’".into());
    env.proxy = Some(ProxySettings {
        source: "HKCU Internet Settings".into(),
        pac_url: Some("http://wpad/wpad.dat".into()),
        ..Default::default()
    });
    env
}

#[test]
fn windows_firewall_runs_the_powershell_in_place_with_its_data_quoted() {
    let ps = export(&plan_of("firewall.allow_zoom", &windows_env()));
    assert_paste_safe(&ps);
    assert!(ps.starts_with("# Meeting Doctor: Let Zoom through this computer's firewall (firewall.allow_zoom)\n# Why: "), "{ps}");
    assert!(ps.contains("# Run it in an administrator PowerShell"));
    assert!(ps.contains("# How to undo: Undo removes the two rules"));
    assert!(ps.contains("#   - The firewall stays on; only Zoom's traffic is let through.\n"));
    assert!(
        ps.contains("IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) { throw")
    );
    assert!(ps.contains(
        "$env:MD_RULE = 'Block Zoom ’’quoted’’ $(evil) `n; '''\n$r = @(Get-NetFirewallRule | Where-Object { $_.Name -ceq $env:MD_RULE }); if ($r.Count -ne 1) {"
    ), "{ps}");
    assert!(ps.contains(
        "$env:MD_PROGRAM = 'C:\\Users\\Zoë O''Brien\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe'\n$env:MD_RULE_IN = 'MeetingDoctor-Zoom-In'\n$env:MD_RULE_OUT = 'MeetingDoctor-Zoom-Out'\n$env:MD_GROUP = 'Meeting Doctor'\nforeach ($d in @(@('Inbound', $env:MD_RULE_IN)"
    ), "{ps}");
    // We are in PowerShell already: no child PowerShell, no encoding switch.
    assert!(
        !ps.contains("powershell.exe") && !ps.contains("OutputEncoding"),
        "{ps}"
    );
    // The data is never part of the code.
    let code: Vec<&str> = ps
        .lines()
        .filter(|l| {
            !l.starts_with("$env:") && !l.starts_with('#') && !l.starts_with("Write-Host '==>")
        })
        .collect();
    assert!(
        code.iter()
            .all(|l| !l.contains("Zoë") && !l.contains("evil")),
        "{code:?}"
    );
    let steps = ps
        .lines()
        .filter(|l| l.starts_with("Write-Host '==> ["))
        .count();
    assert_eq!(steps, 2);
}

#[test]
fn windows_native_programs_are_checked_with_their_ok_codes() {
    let env = windows_env();
    let ps = export(&plan_of("clock.sync", &env));
    assert_paste_safe(&ps);
    assert!(ps.contains(
        "& 'net' 'start' 'w32time'\nif (@(0, 2) -notcontains $LASTEXITCODE) { throw ('net exited with code ' + $LASTEXITCODE) }\n"
    ), "{ps}");
    assert!(ps.contains(
        "& 'w32tm' '/resync' '/force'\nif ($LASTEXITCODE -ne 0) { throw ('w32tm exited with code ' + $LASTEXITCODE) }\n"
    ));

    let ps = export(&plan_of("proxy.disable", &env));
    assert_paste_safe(&ps);
    // HKCU belongs to the person: not an administrator shell.
    assert!(
        ps.contains("not as administrator") && !ps.contains("IsInRole"),
        "{ps}"
    );
    assert!(ps.contains(
        "Write-Host 'Before: ProxyEnable (copy this into the ticket)'\ntry { & 'reg' 'query' 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings' '/v' 'ProxyEnable' | Out-Host; if ($LASTEXITCODE -ne 0 -and @(1) -notcontains $LASTEXITCODE) { throw ('exited with ' + $LASTEXITCODE) } } catch { throw ('Could not note the current setting first"
    ), "{ps}");
    assert!(ps.contains(
        "& 'reg' 'delete' 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings' '/v' 'AutoConfigURL' '/f'\nif (@(0, 1) -notcontains $LASTEXITCODE) {"
    ));

    let ps = export(&plan_of("dns.use_public", &env));
    assert_paste_safe(&ps);
    assert!(
        ps.contains(
            "$env:MD_IF = 'Ethernet 2 ‘‘Büro’’'\ntry { & { $a = Get-NetAdapter -Name $env:MD_IF"
        ),
        "{ps}"
    );
    assert!(ps.contains("$env:MD_DNS = '1.1.1.1,8.8.8.8'\nSet-DnsClientServerAddress -InterfaceAlias $env:MD_IF -ServerAddresses ($env:MD_DNS -split ',')\n"));
}

#[test]
fn windows_arguments_powershell_51_would_mangle_go_through_process_start() {
    assert!(ps_native_safe(
        r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings"
    ));
    assert!(!ps_native_safe("") && !ps_native_safe("a\"b") && !ps_native_safe(r"C:\dir\"));
    let url = r#"http://wpad/"x y"\"#;
    let steps = vec![
        Step::run(
            "Put the automatic configuration script back",
            CommandSpec::new(
                "reg",
                &[
                    "add",
                    r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings",
                    "/v",
                    "AutoConfigURL",
                    "/t",
                    "REG_SZ",
                    "/d",
                    url,
                    "/f",
                ],
            ),
        ),
        Step::new(
            "Move the files back from the backup folder",
            Action::Restore {
                backup: r"C:\Users\Zoë O'Brien\AppData\Local\Meeting Doctor\backups\e1".into(),
            },
        ),
    ];
    let ps = export_undo(Os::Windows, "Stop using the proxy server", &steps);
    assert_paste_safe(&ps);
    assert!(ps.starts_with("# Meeting Doctor: Undo: Stop using the proxy server\n"));
    assert!(!ps.contains("IsInRole"), "HKCU is the person's own");
    assert!(ps.contains(
        r#"$p = [Diagnostics.Process]::Start((New-Object Diagnostics.ProcessStartInfo -Property @{ FileName = 'reg'; Arguments = 'add "HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings" /v AutoConfigURL /t REG_SZ /d "http://wpad/\"x y\"\\" /f'; UseShellExecute = $false })); $p.WaitForExit()
if ($p.ExitCode -ne 0) { throw ('reg exited with code ' + $p.ExitCode) }
"#
    ), "{ps}");
    assert!(ps.contains(
        "Write-Host 'C:\\Users\\Zoë O''Brien\\AppData\\Local\\Meeting Doctor\\backups\\e1'\n"
    ));
    assert!(ps.contains("$manifest = 'C:\\Users\\Zoë O''Brien\\AppData\\Local\\Meeting Doctor\\backups\\e1\\manifest.json'\nif (Test-Path -LiteralPath $manifest) { Get-Content -LiteralPath $manifest -Encoding UTF8 | Out-Host }"));
    let fw = export_undo(
        Os::Windows,
        "Let Zoom through",
        &[Step::run(
            "Remove the rules Meeting Doctor added",
            CommandSpec::powershell("Remove-NetFirewallRule -Name $env:MD_RULE_IN"),
        )],
    );
    assert!(
        fw.contains("IsInRole") && fw.contains("\nRemove-NetFirewallRule -Name $env:MD_RULE_IN\n"),
        "{fw}"
    );
}

#[test]
fn windows_cache_moves_aside_keeping_settings_and_databases() {
    let ps = export(&plan_of("zoom.clear_cache", &windows_env()));
    assert_paste_safe(&ps);
    assert!(!ps.contains("IsInRole"));
    assert!(ps.contains("$backup = Join-Path $env:USERPROFILE ('meeting-doctor-backup-' + (Get-Date -Format 'yyyyMMdd-HHmmss'))\nif (Test-Path -LiteralPath $backup) { throw"), "{ps}");
    assert!(ps.contains(
        "$src = 'C:\\Users\\Zoë O''Brien\\AppData\\Roaming\\Zoom\\data'\n$dest = ($backup + '\\C\\Users\\Zoë O''Brien\\AppData\\Roaming\\Zoom\\data')\n"
    ), "{ps}");
    // As the app: kept names stay at any depth, a folder holding one
    // is looked into, links and junctions are not followed.
    assert!(
        ps.contains("$keep = @('*.db', '*.db-*', '*.ini', '*.conf', '*.plist')\nfunction MdKept([string]$name) { foreach ($k in $keep) { if ($name -like $k) { return $true } }; return $false }\n"),
        "{ps}"
    );
    assert!(ps.contains(
        "function MdIsFolder($item) { $item.PSIsContainer -and -not ($item.Attributes -band [IO.FileAttributes]::ReparsePoint) }\n"
    ), "{ps}");
    assert!(ps.contains(
        "function MdHoldsKept([string]$dir) { foreach ($e in @(Get-ChildItem -LiteralPath $dir -Force -ErrorAction SilentlyContinue)) { if ((MdKept $e.Name) -or ((MdIsFolder $e) -and (MdHoldsKept $e.FullName))) { return $true } }; return $false }\n"
    ), "{ps}");
    assert!(ps.contains(
        "function MdMoveIn([string]$dir, [string]$to) { foreach ($f in @(Get-ChildItem -LiteralPath $dir -Force)) { $there = [IO.Path]::Combine($to, $f.Name); if (MdKept $f.Name) { Write-Host ('Kept ' + $f.FullName) } elseif ((MdIsFolder $f) -and (MdHoldsKept $f.FullName)) { MdMoveIn $f.FullName $there } else { MdMove $f.FullName $there } } }\n"
    ), "{ps}");
    assert!(ps.contains(
        "if ((Test-Path -LiteralPath $src -PathType Container) -and (MdIsFolder (Get-Item -LiteralPath $src -Force))) {\nMdMoveIn $src $dest\n} elseif (Test-Path -LiteralPath $src) {\nMdMove $src $dest\n} else {\nWrite-Host ('Nothing to move: ' + $src)\n}\n"
    ), "{ps}");
    // Moves take both paths literally and make the folders they need.
    assert!(ps.contains(
        "function MdMove([string]$from, [string]$to) { [void][IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($to)); if (Test-Path -LiteralPath $from -PathType Leaf) { [IO.File]::Move($from, $to) } else { [IO.Directory]::Move($from, $to) }; Write-Host ('Moved ' + $from) }\n"
    ), "{ps}");
    assert!(!ps.contains("-Destination"), "{ps}");
    // Each function is defined before it is first called.
    for f in ["MdMove", "MdKept", "MdIsFolder", "MdHoldsKept", "MdMoveIn"] {
        let defined = ps.find(&format!("function {f}(")).unwrap();
        let called = ps.find(&format!("{f} $")).unwrap();
        assert!(defined < called, "{f}");
    }
    assert!(ps.contains("foreach ($n in @('Zoom.exe', "), "{ps}");
    assert!(ps.contains("& 'taskkill.exe' '/IM' $n 2>&1 | Out-Null"));
    assert!(ps.contains("Start-Sleep -Seconds 5\nforeach ($n in @('Zoom', "));
    assert!(
        ps.contains("'Zoom Launcher'"),
        "names with spaces stay whole"
    );
    assert!(ps.contains("{ Stop-Process -Name $n -Force -ErrorAction SilentlyContinue }"));
    assert!(!ps.contains("'Zoom.exe.exe'") && !ps.contains("@('Zoom.exe', 'Zoom')"));
}

#[test]
fn windows_move_aside_takes_hostile_paths_and_patterns_as_data() {
    let p = custom_plan(
        Os::Windows,
        vec![Step::new(
            "Move it",
            Action::MoveAside {
                path: "C:\\Users\\O’Brien\\it's [1]\n$(x)".into(),
                keep: vec!["it's*[x]?".into(), "*.db".into()],
            },
        )],
    );
    let ps = export(&p);
    assert_paste_safe(&ps);
    assert!(ps.contains(
        "$src = ('C:\\Users\\O’’Brien\\it''s [1]' + \"`n\" + '$(x)')\n$dest = ($backup + ('\\C\\Users\\O’’Brien\\it''s [1]' + \"`n\" + '$(x)'))\n"
    ), "{ps}");
    assert!(
        ps.contains("$keep = @('it''s*`[x`]`?', '*.db')\n"),
        "only * is a wildcard: {ps}"
    );
    assert!(ps.contains("MdMoveIn $src $dest\n"), "{ps}");
}

#[test]
fn windows_file_writes_keep_the_exact_bytes() {
    let p = custom_plan(
        Os::Windows,
        vec![Step::new(
            "Write it",
            Action::WriteFile {
                path: r"C:\ProgramData\Zoë's\it's [1].conf".into(),
                content: "line 'one'\n\n\t$(x)\n".into(),
            },
        )],
    );
    let ps = export(&p);
    assert_paste_safe(&ps);
    assert!(ps.contains(
        "$target = 'C:\\ProgramData\\Zoë''s\\it''s [1].conf'\n$dest = ($backup + '\\C\\ProgramData\\Zoë''s\\it''s [1].conf')\nif (Test-Path -LiteralPath $target) {\n[void][IO.Directory]::CreateDirectory(($backup + '\\C\\ProgramData\\Zoë''s'))\nMove-Item -LiteralPath $target -Destination $dest\n"
    ), "{ps}");
    assert!(ps.contains(
        "$content = @(\n'line ''one'''\n''\n(\"`t\" + '$(x)')\n''\n) -join \"`n\"\n[IO.File]::WriteAllText($target, $content, (New-Object Text.UTF8Encoding $false))\n"
    ), "{ps}");
}
