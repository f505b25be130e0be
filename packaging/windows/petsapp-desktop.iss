; PetsApp Desktop: the Windows installer (Inno Setup 6.3 or newer), made from PyInstaller's
; one-folder build. How to build and sign it: README.md beside this file.
;
;   .venv\Scripts\pyinstaller --noconfirm --clean build.spec         -> dist\petsapp-desktop\
;   iscc /DAppVersion=0.1.0 packaging\windows\petsapp-desktop.iss    -> dist\PetsApp-Setup-0.1.0.exe
;
; Per-user install (no administrator rights): %LOCALAPPDATA%\Programs\PetsApp, a Start menu
; entry, an optional desktop icon, and an uninstaller (Settings > Apps). For every user of a
; shared PC, IT can run the setup elevated with /ALLUSERS (then it goes to Program Files).
;
; Command-line defines (iscc /DName=value):
;   AppVersion     the version in the file name and in Settings > Apps (pyproject.toml's)
;   BundleDir      the one-folder build (default: dist\petsapp-desktop beside the project)
;   SignToolName   a Sign Tool defined with iscc /S, to sign setup and uninstaller (README.md)
;   ServerUrl      if set, the shortcuts start the app with --server <ServerUrl>; without it
;                  the first start asks for the server (or offers the demo) and remembers it

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\petsapp-desktop"
#endif
#define AppName "PetsApp"
#define AppExeName "petsapp-desktop.exe"
#ifdef ServerUrl
  #define AppParameters "--server " + ServerUrl
#else
  #define AppParameters ""
#endif

[Setup]
; AppId identifies PetsApp to every version of this installer (upgrades, uninstall): never change it.
AppId={{85CF28D9-3D15-418E-9428-39FCE5347D9B}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=PetsApp
AppContact=support@petsapp.com
AppCopyright=Copyright (C) PetsApp
VersionInfoDescription={#AppName} Setup
VersionInfoProductName={#AppName}
; Per user: {autopf} is {localappdata}\Programs here ({commonpf} only with /ALLUSERS).
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
DefaultDirName={autopf}\PetsApp
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 or newer.
MinVersion=10.0
; Output, icon and BundleDir are relative to this file's folder.
OutputDir=..\..\dist
OutputBaseFilename=PetsApp-Setup-{#AppVersion}
SetupIconFile=petsapp-desktop.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; A running PetsApp is closed (and offered a restart) before its files are replaced.
CloseApplications=yes
#ifdef SignToolName
SignTool={#SignToolName}
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: files an older version had, and this one has not,
; must not stay beside the new ones (Python would import them).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Parameters: "{#AppParameters}"; Comment: "Chat with pet owners, in the PetsApp app or by SMS"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Parameters: "{#AppParameters}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Parameters: "{#AppParameters}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent
