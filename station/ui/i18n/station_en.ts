<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ClerkView</name>
    <message>
        <location filename="../clerk/view.py" line="170"/>
        <source>Card</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="172"/>
        <source>Holder</source>
        <translation>Holder</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="173"/>
        <source>Social security number</source>
        <translation>Social security number</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="174"/>
        <source>Card number</source>
        <translation>Card number</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="175"/>
        <source>Generation and algorithm</source>
        <translation>Generation and algorithm</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="176"/>
        <source>Valid until</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="177"/>
        <source>Genuineness</source>
        <translation>Genuineness</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="178"/>
        <source>PIN tries left</source>
        <translation>PIN tries left</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="181"/>
        <source>Read again (F5)</source>
        <translation>Read again (F5)</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="182"/>
        <location filename="../clerk/view.py" line="193"/>
        <source>Change PIN</source>
        <translation>Change PIN</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="183"/>
        <location filename="../clerk/view.py" line="196"/>
        <source>Unlock PIN</source>
        <translation>Unlock PIN</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="184"/>
        <location filename="../clerk/view.py" line="197"/>
        <source>Reset PIN</source>
        <translation>Reset PIN</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="187"/>
        <source>Old PIN</source>
        <translation>Old PIN</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="187"/>
        <location filename="../clerk/view.py" line="191"/>
        <source>New PIN</source>
        <translation>New PIN</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="187"/>
        <location filename="../clerk/view.py" line="192"/>
        <source>New PIN again</source>
        <translation>New PIN again</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="194"/>
        <location filename="../clerk/view.py" line="195"/>
        <source>I have checked the holder&apos;s ID document</source>
        <translation>I have checked the holder&apos;s ID document</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="198"/>
        <source>Receipt</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="199"/>
        <source>Print… (Ctrl+P)</source>
        <translation>Print… (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="200"/>
        <source>Save PDF… (Ctrl+S)</source>
        <translation>Save PDF… (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="201"/>
        <source>Services of the day</source>
        <translation>Services of the day</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="203"/>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="203"/>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="203"/>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="203"/>
        <source>Serial</source>
        <translation>Serial</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="205"/>
        <source>Reprint selected</source>
        <translation>Reprint selected</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="218"/>
        <source>Generation %1, %2</source>
        <translation>Generation %1, %2</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="225"/>
        <source>EXPIRED on %1</source>
        <translation>EXPIRED on %1</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="229"/>
        <source>Genuine</source>
        <translation>Genuine</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="229"/>
        <source>NOT genuine</source>
        <translation>NOT genuine</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="232"/>
        <source>PIN locked: unlock or reset needed</source>
        <translation>PIN locked: unlock or reset needed</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="234"/>
        <source>No PIN set</source>
        <translation>No PIN set</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="236"/>
        <source>%1 left — warning: the card locks after the last wrong PIN</source>
        <translation>%1 left — warning: the card locks after the last wrong PIN</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="249"/>
        <source>Insert the card</source>
        <translation>Insert the card</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="266"/>
        <source>Working with the card…</source>
        <translation>Working with the card…</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="275"/>
        <source>The two new PINs differ</source>
        <translation>The two new PINs differ</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="358"/>
        <source>Save receipt as PDF</source>
        <translation>Save receipt as PDF</translation>
    </message>
</context>
<context>
    <name>DeviceLabel</name>
    <message>
        <location filename="../shell.py" line="157"/>
        <source>Card reader</source>
        <translation>Card reader</translation>
    </message>
    <message>
        <location filename="../shell.py" line="158"/>
        <source>PSAM</source>
        <translation>PSAM</translation>
    </message>
    <message>
        <location filename="../shell.py" line="159"/>
        <source>Card printer</source>
        <translation>Card printer</translation>
    </message>
    <message>
        <location filename="../shell.py" line="163"/>
        <source>connecting…</source>
        <translation>connecting…</translation>
    </message>
    <message>
        <location filename="../shell.py" line="164"/>
        <source>ready</source>
        <translation>ready</translation>
    </message>
    <message>
        <location filename="../shell.py" line="166"/>
        <source>no card</source>
        <translation>no card</translation>
    </message>
    <message>
        <location filename="../shell.py" line="168"/>
        <source>no PSAM</source>
        <translation>no PSAM</translation>
    </message>
    <message>
        <location filename="../shell.py" line="169"/>
        <source>card inserted</source>
        <translation>card inserted</translation>
    </message>
    <message>
        <location filename="../shell.py" line="171"/>
        <source>PSAM present</source>
        <translation>PSAM present</translation>
    </message>
    <message>
        <location filename="../shell.py" line="172"/>
        <source>not connected</source>
        <translation>not connected</translation>
    </message>
    <message>
        <location filename="../shell.py" line="173"/>
        <source>fault</source>
        <translation>fault</translation>
    </message>
    <message>
        <location filename="../shell.py" line="174"/>
        <source>PC/SC service down</source>
        <translation>PC/SC service down</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../shell.py" line="265"/>
        <source>Social security card station</source>
        <translation>Social security card station</translation>
    </message>
    <message>
        <location filename="../shell.py" line="267"/>
        <source>TRAINING MODE (virtual card and PSAM)</source>
        <translation>TRAINING MODE (virtual card and PSAM)</translation>
    </message>
    <message>
        <location filename="../shell.py" line="269"/>
        <source>&amp;Session</source>
        <translation>&amp;Session</translation>
    </message>
    <message>
        <location filename="../shell.py" line="270"/>
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../shell.py" line="271"/>
        <source>Lock (Ctrl+L)</source>
        <translation>Lock (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../shell.py" line="272"/>
        <source>Settings…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <location filename="../shell.py" line="274"/>
        <source>PIN services</source>
        <translation>PIN services</translation>
    </message>
    <message>
        <location filename="../shell.py" line="275"/>
        <source>Issuance</source>
        <translation>Issuance</translation>
    </message>
    <message>
        <location filename="../shell.py" line="276"/>
        <source>Stock</source>
        <translation>Stock</translation>
    </message>
    <message>
        <location filename="../shell.py" line="277"/>
        <source>Technician bench</source>
        <translation>Technician bench</translation>
    </message>
    <message>
        <location filename="../shell.py" line="296"/>
        <source>Not signed in</source>
        <translation>Not signed in</translation>
    </message>
    <message>
        <location filename="../shell.py" line="302"/>
        <source>Technician (not signed in)</source>
        <translation>Technician (not signed in)</translation>
    </message>
    <message>
        <location filename="../shell.py" line="321"/>
        <source>Enter the operator ID and the password</source>
        <translation>Enter the operator ID and the password</translation>
    </message>
</context>
<context>
    <name>Placeholder</name>
    <message>
        <location filename="../shell.py" line="86"/>
        <source>This screen comes in part 2 of the desktop app.</source>
        <translation>This screen comes in part 2 of the desktop app.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="91"/>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="93"/>
        <source>Database URL</source>
        <translation>Database URL</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="94"/>
        <source>Card reader</source>
        <translation>Card reader</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="95"/>
        <source>PSAM reader</source>
        <translation>PSAM reader</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="96"/>
        <source>Card printer URL</source>
        <translation>Card printer URL</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="97"/>
        <source>Outlet</source>
        <translation>Outlet</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="98"/>
        <source>Lock after idle minutes</source>
        <translation>Lock after idle minutes</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../shell.py" line="131"/>
        <source>Social security card station — sign in</source>
        <translation>Social security card station — sign in</translation>
    </message>
    <message>
        <location filename="../shell.py" line="132"/>
        <source>Operator ID</source>
        <translation>Operator ID</translation>
    </message>
    <message>
        <location filename="../shell.py" line="133"/>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../shell.py" line="134"/>
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../shell.py" line="135"/>
        <source>Technician without sign-in</source>
        <translation>Technician without sign-in</translation>
    </message>
    <message>
        <location filename="../shell.py" line="136"/>
        <source>Practise PIN services (training)</source>
        <translation>Practise PIN services (training)</translation>
    </message>
</context>
</TS>
