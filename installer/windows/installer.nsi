; Meeting Doctor for Windows: a per-user installer (no administrator rights
; needed to install or to remove it). Built by scripts/build-windows.sh
; with makensis; it passes the paths and the version:
;   VERSION, APP_EXE, CLI_EXE, LOADER_DLL, ICON, OUT_FILE
;
; What it does, and nothing else:
; - copies the app, the command-line tool and WebView2Loader.dll to
;   %LOCALAPPDATA%\Programs\Meeting Doctor (where per-user apps live). The
;   app built with the GNU toolchain loads WebView2 through that DLL
;   (Microsoft's WebView2 SDK, redistributable; shipped by webview2-com-sys):
;   without it beside the exe Windows refuses to start the app at all;
; - makes sure Microsoft Edge WebView2 (what the app draws its window with)
;   is there: built into Windows 11 and kept on Windows 10 by Edge; if it
;   is missing, Microsoft's small bootstrapper is fetched and run, as Tauri
;   recommends for apps that are not installed offline;
; - adds a Start menu shortcut and an entry in "Installed apps";
; - the uninstaller removes exactly those, and leaves the user's reports,
;   logs and fix journal (with what undo needs) where they are.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!ifndef VERSION
  !error "VERSION is not defined (scripts/build-windows.sh passes it)"
!endif

!define PRODUCT "Meeting Doctor"
!define PUBLISHER "Meeting Doctor"
!define APP_FILE "meeting-doctor-app.exe"
!define CLI_FILE "meeting-doctor.exe"
!define LOADER_FILE "WebView2Loader.dll"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\MeetingDoctor"
; Microsoft's id for the WebView2 runtime (Evergreen), under EdgeUpdate.
!define WEBVIEW2_ID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_BOOTSTRAPPER "https://go.microsoft.com/fwlink/p/?LinkId=2124703"

Name "${PRODUCT}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${PRODUCT}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileDescription" "${PRODUCT} installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "Copyright 2026 the Meeting Doctor developers (MIT OR Apache-2.0)"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_FILE}"
!define MUI_FINISHPAGE_RUN_TEXT "Open ${PRODUCT} now"
!define MUI_WELCOMEPAGE_TEXT "${PRODUCT} finds out why Zoom can't connect, and says in plain words what to do.$\r$\n$\r$\nIt installs for you only and needs no administrator password.$\r$\n$\r$\nClick Next to continue."
!define MUI_UNCONFIRMPAGE_TEXT_TOP "${PRODUCT} will be removed from this computer. Your saved reports, logs and the list of fixes it made stay where they are."

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${PRODUCT} needs a 64-bit version of Windows."
    Abort
  ${EndIf}
FunctionEnd

; Is WebView2 there? Microsoft documents the "pv" value of its EdgeUpdate
; client key: per machine (32-bit view on 64-bit Windows) or per user.
Function HasWebView2
  ClearErrors
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${If} $0 != ""
  ${AndIf} $0 != "0.0.0.0"
    Push 1
    Return
  ${EndIf}
  ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${If} $0 != ""
  ${AndIf} $0 != "0.0.0.0"
    Push 1
    Return
  ${EndIf}
  Push 0
FunctionEnd

Section "Install"
  SetOutPath "$INSTDIR"
  File "/oname=${APP_FILE}" "${APP_EXE}"
  File "/oname=${CLI_FILE}" "${CLI_EXE}"
  File "/oname=${LOADER_FILE}" "${LOADER_DLL}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  Call HasWebView2
  Pop $0
  ${If} $0 == 0
    DetailPrint "Getting Microsoft Edge WebView2, which ${PRODUCT} draws its window with…"
    ; PowerShell fetches over HTTPS (NSIS's own downloader cannot).
    nsExec::ExecToLog 'powershell.exe -NoProfile -NonInteractive -Command "[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12; Invoke-WebRequest -UseBasicParsing -Uri ''${WEBVIEW2_BOOTSTRAPPER}'' -OutFile ''$TEMP\MicrosoftEdgeWebview2Setup.exe''"'
    Pop $1
    ${If} ${FileExists} "$TEMP\MicrosoftEdgeWebview2Setup.exe"
      ExecWait '"$TEMP\MicrosoftEdgeWebview2Setup.exe" /silent /install' $1
      Delete "$TEMP\MicrosoftEdgeWebview2Setup.exe"
    ${EndIf}
    Call HasWebView2
    Pop $0
    ${If} $0 == 0
      MessageBox MB_ICONEXCLAMATION "${PRODUCT} is installed, but Microsoft Edge WebView2 could not be set up (is this computer offline?). The app's window needs it: install it from microsoft.com/edge/webview2, or use ${CLI_FILE} in a terminal, which works without it." /SD IDOK
    ${EndIf}
  ${EndIf}

  CreateDirectory "$SMPROGRAMS\${PRODUCT}"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk" "$INSTDIR\${APP_FILE}" "" "$INSTDIR\${APP_FILE}" 0

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_FILE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

; Removes what the installer put there, by name: never the folder's other
; contents, never the user's data (reports, logs, the fix journal).
Section "Uninstall"
  Delete "$INSTDIR\${APP_FILE}"
  Delete "$INSTDIR\${CLI_FILE}"
  Delete "$INSTDIR\${LOADER_FILE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk"
  RMDir "$SMPROGRAMS\${PRODUCT}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
