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
    <message>
        <source>cover open</source>
        <translation>cover open</translation>
    </message>
    <message>
        <source>card jam</source>
        <translation>card jam</translation>
    </message>
    <message>
        <source>reject box full</source>
        <translation>reject box full</translation>
    </message>
    <message>
        <source>ribbon used up</source>
        <translation>ribbon used up</translation>
    </message>
    <message>
        <source>no blank cards in the feeder</source>
        <translation>no blank cards in the feeder</translation>
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
    <message>
        <location filename="../shell.py"/>
        <source>Teller</source>
        <translation>Teller</translation>
    </message>
    <message>
        <location filename="../shell.py"/>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <location filename="../shell.py"/>
        <source>Auditor</source>
        <translation>Auditor</translation>
    </message>
    <message>
        <location filename="../shell.py"/>
        <source>Technician</source>
        <translation>Technician</translation>
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
    <message>
        <location filename="../settings_dialog.py"/>
        <source>The idle lock changes at once; the database, readers, printer and outlet at the next start.</source>
        <translation>The idle lock changes at once; the database, readers, printer and outlet at the next start.</translation>
    </message>
    <message>
        <source>Desktop reader at the counter (empty: none)</source>
        <translation>Desktop reader at the counter (empty: none)</translation>
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
<context>
    <name>AllocateView</name>
    <message>
        <location filename="../supervisor/views/allocate.py" line="55"/>
        <source>Location</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="55"/>
        <location filename="../supervisor/views/allocate.py" line="59"/>
        <source>Bank</source>
        <translation>Bank</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="55"/>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="55"/>
        <source>Cards</source>
        <translation>Cards</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="58"/>
        <source>Stock now, by location, bank and state</source>
        <translation>Stock now, by location, bank and state</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="59"/>
        <source>To drawer or station</source>
        <translation>To drawer or station</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="59"/>
        <source>Number of blanks</source>
        <translation>Number of blanks</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="62"/>
        <source>&amp;Allocate from the vault</source>
        <translation>&amp;Allocate from the vault</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="63"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="77"/>
        <source>Choose a location and a bank.</source>
        <translation>Choose a location and a bank.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="83"/>
        <source>%n blank(s) allocated to %1</source>
        <translation>%n blank(s) allocated to %1</translation>
    </message>
</context>
<context>
    <name>CountView</name>
    <message>
        <location filename="../supervisor/views/count.py" line="124"/>
        <source>Bank</source>
        <translation>Bank</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="124"/>
        <source>In the book</source>
        <translation>In the book</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="124"/>
        <source>Counted</source>
        <translation>Counted</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="124"/>
        <source>Difference</source>
        <translation>Difference</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="127"/>
        <source>Missing card (tick = lost)</source>
        <translation>Missing card (tick = lost)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="131"/>
        <source>Drawer, station or vault to count</source>
        <translation>Drawer, station or vault to count</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="132"/>
        <source>&amp;Start the count</source>
        <translation>&amp;Start the count</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="134"/>
        <source>Type or scan each card number on the shelf, then press Enter:</source>
        <translation>Type or scan each card number on the shelf, then press Enter:</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="136"/>
        <source>card number(s)</source>
        <translation>card number(s)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="137"/>
        <source>Remove selected</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="138"/>
        <source>S&amp;ubmit the count</source>
        <translation>S&amp;ubmit the count</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="139"/>
        <source>Missing from the shelf:</source>
        <translation>Missing from the shelf:</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="140"/>
        <source>Found but not booked here:</source>
        <translation>Found but not booked here:</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="141"/>
        <source>Resolution note</source>
        <translation>Resolution note</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="142"/>
        <source>&amp;Resolve the difference</source>
        <translation>&amp;Resolve the difference</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="143"/>
        <source>&amp;New count</source>
        <translation>&amp;New count</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="153"/>
        <source>Step 1 of 3 — choose the place</source>
        <translation>Step 1 of 3 — choose the place</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="154"/>
        <source>Step 2 of 3 — the cards on the shelf</source>
        <translation>Step 2 of 3 — the cards on the shelf</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="155"/>
        <source>Step 3 of 3 — the result</source>
        <translation>Step 3 of 3 — the result</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="176"/>
        <source>Unresolved differences: %1</source>
        <translation>Unresolved differences: %1</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="179"/>
        <source>No unresolved differences.</source>
        <translation>No unresolved differences.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="190"/>
        <source>Count #%1 at %2 started.</source>
        <translation>Count #%1 at %2 started.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="210"/>
        <source>%n card(s) seen</source>
        <translation>%n card(s) seen</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="229"/>
        <source>Count #%1 matches the book.</source>
        <translation>Count #%1 matches the book.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="231"/>
        <source>Count #%1: the difference is resolved.</source>
        <translation>Count #%1: the difference is resolved.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="233"/>
        <source>Count #%1 DIFFERS from the book: %2 missing, %3 not booked here.</source>
        <translation>Count #%1 DIFFERS from the book: %2 missing, %3 not booked here.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="242"/>
        <source>Write what explains the difference.</source>
        <translation>Write what explains the difference.</translation>
    </message>
</context>
<context>
    <name>DestroyView</name>
    <message>
        <location filename="../supervisor/views/destroy.py" line="101"/>
        <source>Card number</source>
        <translation>Card number</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="101"/>
        <source>Bank</source>
        <translation>Bank</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="101"/>
        <source>Cause</source>
        <translation>Cause</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="101"/>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="104"/>
        <source>Spoiled blanks in the reject box (tick the ones to destroy)</source>
        <translation>Spoiled blanks in the reject box (tick the ones to destroy)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="105"/>
        <source>Tick &amp;all</source>
        <translation>Tick &amp;all</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="106"/>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="107"/>
        <source>e.g. shredded in front of both signers</source>
        <translation>e.g. shredded in front of both signers</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="108"/>
        <source>&amp;Destroy ticked…</source>
        <translation>&amp;Destroy ticked…</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="125"/>
        <source>Tick the cards to destroy first.</source>
        <translation>Tick the cards to destroy first.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="139"/>
        <source>Enter the witness&apos;s operator ID.</source>
        <translation>Enter the witness&apos;s operator ID.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="141"/>
        <source>The witness must be another person than you.</source>
        <translation>The witness must be another person than you.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="145"/>
        <source>Signing the witness in…</source>
        <translation>Signing the witness in…</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="150"/>
        <source>%n card(s) destroyed, record #%1, signed by two people.</source>
        <translation>%n card(s) destroyed, record #%1, signed by two people.</translation>
    </message>
</context>
<context>
    <name>FilterTable</name>
    <message>
        <location filename="../supervisor/models.py" line="158"/>
        <source>Filter…</source>
        <translation>Filter…</translation>
    </message>
</context>
<context>
    <name>LedgerView</name>
    <message>
        <location filename="../supervisor/views/ledger.py" line="39"/>
        <source>Every movement is a row of a hash chain. The check walks the chain, replays it into the state of every blank and compares with the stock, and proves that every head written to the witness file is still in the chain.</source>
        <translation>Every movement is a row of a hash chain. The check walks the chain, replays it into the state of every blank and compares with the stock, and proves that every head written to the witness file is still in the chain.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/ledger.py" line="45"/>
        <source>Witness file: %1</source>
        <translation>Witness file: %1</translation>
    </message>
    <message>
        <location filename="../supervisor/views/ledger.py" line="47"/>
        <source>&amp;Check the ledger</source>
        <translation>&amp;Check the ledger</translation>
    </message>
    <message>
        <location filename="../supervisor/views/ledger.py" line="57"/>
        <source>Ledger OK: %1 rows, chain and replay verified, %2 witnessed head(s) found.</source>
        <translation>Ledger OK: %1 rows, chain and replay verified, %2 witnessed head(s) found.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/ledger.py" line="63"/>
        <source>Head witnessed: %1 rows, SM3 %2</source>
        <translation>Head witnessed: %1 rows, SM3 %2</translation>
    </message>
    <message>
        <location filename="../supervisor/views/ledger.py" line="69"/>
        <source>LEDGER DOES NOT VERIFY: %n problem(s). Call the auditor.</source>
        <translation>LEDGER DOES NOT VERIFY: %n problem(s). Call the auditor.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/ledger.py" line="75"/>
        <source>First bad row: %1</source>
        <translation>First bad row: %1</translation>
    </message>
</context>
<context>
    <name>NoBook</name>
    <message>
        <location filename="../supervisor/__init__.py" line="121"/>
        <source>No stock book is open — sign in as a supervisor with a database.</source>
        <translation>No stock book is open — sign in as a supervisor with a database.</translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <location filename="../supervisor/views/outbox.py" line="75"/>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="76"/>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="77"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="78"/>
        <source>ID number (masked)</source>
        <translation>ID number (masked)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="79"/>
        <source>Card number</source>
        <translation>Card number</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="80"/>
        <source>Bank</source>
        <translation>Bank</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="81"/>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="82"/>
        <source>Finished (UTC)</source>
        <translation>Finished (UTC)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="87"/>
        <source>Pending registrations: %n</source>
        <translation>Pending registrations: %n</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="89"/>
        <source>Exported batches</source>
        <translation>Exported batches</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="90"/>
        <source>Records of the chosen batch</source>
        <translation>Records of the chosen batch</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="91"/>
        <source>Export folder</source>
        <translation>Export folder</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="93"/>
        <source>&amp;Export a new batch</source>
        <translation>&amp;Export a new batch</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="94"/>
        <source>Export chosen batch a&amp;gain</source>
        <translation>Export chosen batch a&amp;gain</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="95"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="127"/>
        <source>Nothing pending: no batch was made.</source>
        <translation>Nothing pending: no batch was made.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="130"/>
        <source>Batch %1: %n record(s) written to %2</source>
        <translation>Batch %1: %n record(s) written to %2</translation>
    </message>
</context>
<context>
    <name>PathField</name>
    <message>
        <location filename="../supervisor/views/common.py" line="116"/>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
</context>
<context>
    <name>RegistryView</name>
    <message>
        <location filename="../supervisor/views/registry.py" line="102"/>
        <location filename="../supervisor/views/registry.py" line="122"/>
        <source>Operator ID</source>
        <translation>Operator ID</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="102"/>
        <location filename="../supervisor/views/registry.py" line="116"/>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="102"/>
        <location filename="../supervisor/views/registry.py" line="105"/>
        <location filename="../supervisor/views/registry.py" line="108"/>
        <location filename="../supervisor/views/registry.py" line="115"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="102"/>
        <source>Active</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="105"/>
        <location filename="../supervisor/views/registry.py" line="108"/>
        <location filename="../supervisor/views/registry.py" line="118"/>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="108"/>
        <location filename="../supervisor/views/registry.py" line="119"/>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="108"/>
        <source>Owner</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="111"/>
        <source>Users</source>
        <translation>Users</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="111"/>
        <source>Banks</source>
        <translation>Banks</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="111"/>
        <source>Manufacturers</source>
        <translation>Manufacturers</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="111"/>
        <source>Locations</source>
        <translation>Locations</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="117"/>
        <source>Full name</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="120"/>
        <source>Owner (teller)</source>
        <translation>Owner (teller)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="127"/>
        <source>&amp;Add</source>
        <translation>&amp;Add</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="128"/>
        <source>New entry</source>
        <translation>New entry</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="131"/>
        <source>Teller</source>
        <translation>Teller</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="132"/>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="133"/>
        <source>Auditor</source>
        <translation>Auditor</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="134"/>
        <source>Technician</source>
        <translation>Technician</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="137"/>
        <source>Teller&apos;s drawer</source>
        <translation>Teller&apos;s drawer</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="138"/>
        <source>Station hopper</source>
        <translation>Station hopper</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="139"/>
        <source>Vault</source>
        <translation>Vault</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="140"/>
        <source>Reject box</source>
        <translation>Reject box</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="164"/>
        <source>User %1 added. One-time code (shown once, hand it over privately): %2</source>
        <translation>User %1 added. One-time code (shown once, hand it over privately): %2</translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <location filename="../supervisor/views/reports.py" line="80"/>
        <source>Day</source>
        <translation>Day</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="81"/>
        <location filename="../supervisor/views/reports.py" line="106"/>
        <location filename="../supervisor/views/reports.py" line="116"/>
        <source>Location</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="82"/>
        <location filename="../supervisor/views/reports.py" line="96"/>
        <location filename="../supervisor/views/reports.py" line="105"/>
        <location filename="../supervisor/views/reports.py" line="115"/>
        <source>Bank</source>
        <translation>Bank</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="83"/>
        <source>Opening</source>
        <translation>Opening</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="84"/>
        <source>Received</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="85"/>
        <source>Sent</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="86"/>
        <location filename="../supervisor/views/reports.py" line="97"/>
        <source>Issued</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="87"/>
        <location filename="../supervisor/views/reports.py" line="98"/>
        <source>Spoiled</source>
        <translation>Spoiled</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="88"/>
        <source>Returned</source>
        <translation>Returned</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="89"/>
        <location filename="../supervisor/views/reports.py" line="128"/>
        <source>Destroyed</source>
        <translation>Destroyed</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="90"/>
        <source>Lost</source>
        <translation>Lost</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="91"/>
        <source>Closing</source>
        <translation>Closing</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="92"/>
        <source>Balanced</source>
        <translation>Balanced</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="94"/>
        <source>Cause</source>
        <translation>Cause</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="94"/>
        <source>Cards</source>
        <translation>Cards</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="94"/>
        <source>Share</source>
        <translation>Share</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="99"/>
        <location filename="../supervisor/views/reports.py" line="127"/>
        <source>Waste rate</source>
        <translation>Waste rate</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="102"/>
        <source>At (UTC)</source>
        <translation>At (UTC)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="103"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="104"/>
        <location filename="../supervisor/views/reports.py" line="114"/>
        <source>Card number</source>
        <translation>Card number</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="107"/>
        <source>By</source>
        <translation>By</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="108"/>
        <source>Witness</source>
        <translation>Witness</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="109"/>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="110"/>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="111"/>
        <source>Reference</source>
        <translation>Reference</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="117"/>
        <source>Since (UTC)</source>
        <translation>Since (UTC)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="118"/>
        <source>Days</source>
        <translation>Days</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="125"/>
        <source>Daily balance</source>
        <translation>Daily balance</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="126"/>
        <source>Spoiled by cause</source>
        <translation>Spoiled by cause</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="129"/>
        <source>Idle blanks</source>
        <translation>Idle blanks</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="135"/>
        <source>Report</source>
        <translation>Report</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="135"/>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="135"/>
        <source>To</source>
        <translation>To</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="135"/>
        <source>Idle over (days)</source>
        <translation>Idle over (days)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="139"/>
        <source>&amp;Show</source>
        <translation>&amp;Show</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="140"/>
        <source>Export &amp;CSV</source>
        <translation>Export &amp;CSV</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="141"/>
        <source>Export P&amp;DF</source>
        <translation>Export P&amp;DF</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="155"/>
        <source>%n row(s).</source>
        <translation>%n row(s).</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="160"/>
        <source>Choose where to write the report.</source>
        <translation>Choose where to write the report.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="171"/>
        <source>Written: %1</source>
        <translation>Written: %1</translation>
    </message>
</context>
<context>
    <name>StockInView</name>
    <message>
        <location filename="../supervisor/views/stockin.py" line="51"/>
        <location filename="../supervisor/views/stockin.py" line="61"/>
        <source>Line</source>
        <translation>Line</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="52"/>
        <source>Card number</source>
        <translation>Card number</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="53"/>
        <source>Card id code</source>
        <translation>Card id code</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="54"/>
        <source>Bank</source>
        <translation>Bank</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="55"/>
        <source>Manufacturer</source>
        <translation>Manufacturer</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="56"/>
        <source>Bank account (masked)</source>
        <translation>Bank account (masked)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="57"/>
        <source>Expiry</source>
        <translation>Expiry</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="61"/>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="64"/>
        <source>Manifest file</source>
        <translation>Manifest file</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="66"/>
        <source>&amp;Preview</source>
        <translation>&amp;Preview</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="67"/>
        <source>&amp;Import this batch</source>
        <translation>&amp;Import this batch</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="73"/>
        <source>Choose a manifest file first.</source>
        <translation>Choose a manifest file first.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="78"/>
        <source>Reading the manifest…</source>
        <translation>Reading the manifest…</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="99"/>
        <source>%n card(s) of bank %1 from maker %2, ready to import.</source>
        <translation>%n card(s) of bank %1 from maker %2, ready to import.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="112"/>
        <source>Imported batch #%1: %n card(s) of %2 into the vault.</source>
        <translation>Imported batch #%1: %n card(s) of %2 into the vault.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="122"/>
        <source>%n problem(s) in the manifest: nothing was imported.</source>
        <translation>%n problem(s) in the manifest: nothing was imported.</translation>
    </message>
</context>
<context>
    <name>Supervisor</name>
    <message>
        <location filename="../supervisor/__init__.py" line="87"/>
        <source>Stock-in</source>
        <translation>Stock-in</translation>
    </message>
    <message>
        <location filename="../supervisor/__init__.py" line="88"/>
        <source>Allocation</source>
        <translation>Allocation</translation>
    </message>
    <message>
        <location filename="../supervisor/__init__.py" line="89"/>
        <source>Daily count</source>
        <translation>Daily count</translation>
    </message>
    <message>
        <location filename="../supervisor/__init__.py" line="90"/>
        <source>Destruction</source>
        <translation>Destruction</translation>
    </message>
    <message>
        <location filename="../supervisor/__init__.py" line="91"/>
        <source>Reports</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../supervisor/__init__.py" line="92"/>
        <source>Ledger check</source>
        <translation>Ledger check</translation>
    </message>
    <message>
        <location filename="../supervisor/__init__.py" line="93"/>
        <source>Users and places</source>
        <translation>Users and places</translation>
    </message>
    <message>
        <location filename="../supervisor/__init__.py" line="94"/>
        <source>Outbox</source>
        <translation>Outbox</translation>
    </message>
</context>
<context>
    <name>WitnessDialog</name>
    <message>
        <location filename="../supervisor/views/destroy.py" line="55"/>
        <source>Second signer</source>
        <translation>Second signer</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="57"/>
        <source>Destroy %n card(s). A second person (not %1) signs in to witness it.</source>
        <translation>Destroy %n card(s). A second person (not %1) signs in to witness it.</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="61"/>
        <source>Witness operator ID</source>
        <translation>Witness operator ID</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="62"/>
        <source>Witness password</source>
        <translation>Witness password</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py"/>
        <source>Witness</source>
        <translation>Witness</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>Bench</name>
    <message>
        <location filename="../bench/__init__.py" line="68"/>
        <source>Readers</source>
        <translation>Readers</translation>
    </message>
    <message>
        <location filename="../bench/__init__.py" line="69"/>
        <source>APDU console</source>
        <translation>APDU console</translation>
    </message>
    <message>
        <location filename="../bench/__init__.py" line="70"/>
        <source>Profiles</source>
        <translation>Profiles</translation>
    </message>
    <message>
        <location filename="../bench/__init__.py" line="71"/>
        <source>Virtual cards</source>
        <translation>Virtual cards</translation>
    </message>
    <message>
        <location filename="../bench/__init__.py" line="72"/>
        <source>Printer</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../bench/__init__.py" line="73"/>
        <source>Face preview</source>
        <translation>Face preview</translation>
    </message>
</context>
<context>
    <name>ConsoleController</name>
    <message>
        <location filename="../bench/controllers/console.py" line="148"/>
        <source>A command is still running; wait for its answer.</source>
        <translation>A command is still running; wait for its answer.</translation>
    </message>
    <message>
        <location filename="../bench/controllers/console.py" line="151"/>
        <source>Choose a reader first.</source>
        <translation>Choose a reader first.</translation>
    </message>
</context>
<context>
    <name>ConsoleView</name>
    <message>
        <location filename="../bench/views/console.py" line="31"/>
        <source>SELECT MF (3F00)</source>
        <translation>SELECT MF (3F00)</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="32"/>
        <source>SELECT SSSE application</source>
        <translation>SELECT SSSE application</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="33"/>
        <source>SELECT EF05 (issuer data)</source>
        <translation>SELECT EF05 (issuer data)</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="34"/>
        <source>READ RECORD EF05 (all)</source>
        <translation>READ RECORD EF05 (all)</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="35"/>
        <source>READ RECORD EF06 (all)</source>
        <translation>READ RECORD EF06 (all)</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="36"/>
        <source>GET CHALLENGE (8)</source>
        <translation>GET CHALLENGE (8)</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="37"/>
        <source>VERIFY (tries left, no PIN)</source>
        <translation>VERIFY (tries left, no PIN)</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="139"/>
        <source>Reader:</source>
        <translation>Reader:</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="141"/>
        <source>Command APDU in hex, e.g. 00A4040000 (Up/Down: history)</source>
        <translation>Command APDU in hex, e.g. 00A4040000 (Up/Down: history)</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="143"/>
        <source>&amp;Send</source>
        <translation>&amp;Send</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="144"/>
        <source>Commands</source>
        <translation>Commands</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="147"/>
        <source>Save trace…</source>
        <translation>Save trace…</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="148"/>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="150"/>
        <source>PINs and keys are always redacted; record and binary content is masked.</source>
        <translation>PINs and keys are always redacted; record and binary content is masked.</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="206"/>
        <source>Save trace</source>
        <translation>Save trace</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="206"/>
        <source>Text (*.txt)</source>
        <translation>Text (*.txt)</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="217"/>
        <source>Trace saved: {0}</source>
        <translation>Trace saved: {0}</translation>
    </message>
</context>
<context>
    <name>FaceView</name>
    <message>
        <location filename="../bench/views/face.py" line="45"/>
        <source>&amp;Preview face</source>
        <translation>&amp;Preview face</translation>
    </message>
    <message>
        <location filename="../bench/views/face.py" line="49"/>
        <source>Sample data only: a fictional holder.</source>
        <translation>Sample data only: a fictional holder.</translation>
    </message>
    <message>
        <location filename="../bench/views/face.py" line="68"/>
        <source>{0}: sample holder {1}, card number {2} (fictional)</source>
        <translation>{0}: sample holder {1}, card number {2} (fictional)</translation>
    </message>
</context>
<context>
    <name>PrinterView</name>
    <message>
        <location filename="../bench/views/printer.py" line="31"/>
        <source>Feed a card</source>
        <translation>Feed a card</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="32"/>
        <source>To contacts</source>
        <translation>To contacts</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="33"/>
        <source>To print position</source>
        <translation>To print position</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="34"/>
        <source>Eject</source>
        <translation>Eject</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="35"/>
        <source>Reject</source>
        <translation>Reject</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="36"/>
        <source>Reset</source>
        <translation>Reset</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="39"/>
        <source>Jam</source>
        <translation>Jam</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="40"/>
        <source>Ribbon end</source>
        <translation>Ribbon end</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="41"/>
        <source>Cover open</source>
        <translation>Cover open</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="42"/>
        <source>Feeder empty</source>
        <translation>Feeder empty</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="43"/>
        <source>Reject box full</source>
        <translation>Reject box full</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="44"/>
        <source>Chip absent</source>
        <translation>Chip absent</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="45"/>
        <source>Chip mute</source>
        <translation>Chip mute</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="46"/>
        <source>Power loss</source>
        <translation>Power loss</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="47"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="50"/>
        <source>Load ribbon</source>
        <translation>Load ribbon</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="51"/>
        <source>Clear jam</source>
        <translation>Clear jam</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="52"/>
        <source>Load cards</source>
        <translation>Load cards</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="53"/>
        <source>Empty reject box</source>
        <translation>Empty reject box</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="54"/>
        <source>Close cover</source>
        <translation>Close cover</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="57"/>
        <source>card jam</source>
        <translation>card jam</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="58"/>
        <source>ribbon ended</source>
        <translation>ribbon ended</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="59"/>
        <source>cover open</source>
        <translation>cover open</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="60"/>
        <source>feeder empty</source>
        <translation>feeder empty</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="61"/>
        <source>reject box full</source>
        <translation>reject box full</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="64"/>
        <source>no card inside</source>
        <translation>no card inside</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="65"/>
        <source>print position</source>
        <translation>print position</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="66"/>
        <source>under the contacts</source>
        <translation>under the contacts</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="67"/>
        <source>contactless station</source>
        <translation>contactless station</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="68"/>
        <source>unknown</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="145"/>
        <source>Printer URL:</source>
        <translation>Printer URL:</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="146"/>
        <source>Connect / &amp;refresh</source>
        <translation>Connect / &amp;refresh</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="147"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="149"/>
        <source>Ready</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="150"/>
        <source>Faults now</source>
        <translation>Faults now</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="151"/>
        <source>Armed faults (simulator)</source>
        <translation>Armed faults (simulator)</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="152"/>
        <source>Ribbon left</source>
        <translation>Ribbon left</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="153"/>
        <source>Card position</source>
        <translation>Card position</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="154"/>
        <source>Feeder</source>
        <translation>Feeder</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="155"/>
        <source>Model / firmware</source>
        <translation>Model / firmware</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="159"/>
        <source>Moves</source>
        <translation>Moves</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="162"/>
        <source>Simulator</source>
        <translation>Simulator</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="163"/>
        <source>Faults:</source>
        <translation>Faults:</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="164"/>
        <source>Remedies:</source>
        <translation>Remedies:</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="173"/>
        <source>connecting…</source>
        <translation>connecting…</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="203"/>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="211"/>
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="211"/>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="221"/>
        <source>{0} at the {1}th event</source>
        <translation>{0} at the {1}th event</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="228"/>
        <source>not a simulator</source>
        <translation>not a simulator</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="229"/>
        <source>{0} prints</source>
        <translation>{0} prints</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="231"/>
        <source>loaded</source>
        <translation>loaded</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="231"/>
        <source>empty</source>
        <translation>empty</translation>
    </message>
</context>
<context>
    <name>ProfileView</name>
    <message>
        <location filename="../bench/views/profiles.py" line="72"/>
        <source>&amp;Check</source>
        <translation>&amp;Check</translation>
    </message>
    <message>
        <location filename="../bench/views/profiles.py" line="73"/>
        <source>&amp;Open profile…</source>
        <translation>&amp;Open profile…</translation>
    </message>
    <message>
        <location filename="../bench/views/profiles.py" line="77"/>
        <source>Choose a profile to check.</source>
        <translation>Choose a profile to check.</translation>
    </message>
    <message>
        <location filename="../bench/views/profiles.py" line="88"/>
        <source>Open profile</source>
        <translation>Open profile</translation>
    </message>
    <message>
        <location filename="../bench/views/profiles.py" line="88"/>
        <source>Profiles (*.toml)</source>
        <translation>Profiles (*.toml)</translation>
    </message>
    <message>
        <location filename="../bench/views/profiles.py" line="100"/>
        <source>Profile OK: {0}</source>
        <translation>Profile OK: {0}</translation>
    </message>
    <message>
        <location filename="../bench/views/profiles.py" line="105"/>
        <source>Line {0}: {1}</source>
        <translation>Line {0}: {1}</translation>
    </message>
</context>
<context>
    <name>ReadersController</name>
    <message>
        <location filename="../bench/controllers/readers.py" line="87"/>
        <source>Card inserted: {0}</source>
        <translation>Card inserted: {0}</translation>
    </message>
    <message>
        <location filename="../bench/controllers/readers.py" line="94"/>
        <source>Card removed: {0}</source>
        <translation>Card removed: {0}</translation>
    </message>
</context>
<context>
    <name>ReadersView</name>
    <message>
        <location filename="../bench/views/readers.py" line="65"/>
        <source>PC/SC readers (updated live)</source>
        <translation>PC/SC readers (updated live)</translation>
    </message>
    <message>
        <location filename="../bench/views/readers.py" line="66"/>
        <source>Reader</source>
        <translation>Reader</translation>
    </message>
    <message>
        <location filename="../bench/views/readers.py" line="66"/>
        <source>Card</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../bench/views/readers.py" line="66"/>
        <source>ATR</source>
        <translation>ATR</translation>
    </message>
    <message>
        <location filename="../bench/views/readers.py" line="67"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location filename="../bench/views/readers.py" line="68"/>
        <source>Insert / remove events</source>
        <translation>Insert / remove events</translation>
    </message>
    <message>
        <location filename="../bench/views/readers.py" line="72"/>
        <source>card present</source>
        <translation>card present</translation>
    </message>
    <message>
        <location filename="../bench/views/readers.py" line="72"/>
        <source>no card</source>
        <translation>no card</translation>
    </message>
</context>
<context>
    <name>VirtualCardsController</name>
    <message>
        <location filename="../bench/controllers/virtual.py" line="110"/>
        <source>Serve a profile on this slot first.</source>
        <translation>Serve a profile on this slot first.</translation>
    </message>
</context>
<context>
    <name>VirtualCardsView</name>
    <message>
        <location filename="../bench/views/virtual.py" line="71"/>
        <source>Serve a card or PSAM profile on a vpcd slot; pcscd then shows it in that reader. Insert and remove act like a hand at the reader.</source>
        <translation>Serve a card or PSAM profile on a vpcd slot; pcscd then shows it in that reader. Insert and remove act like a hand at the reader.</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="76"/>
        <source>Profile:</source>
        <translation>Profile:</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="77"/>
        <source>Serve</source>
        <translation>Serve</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="78"/>
        <source>Insert</source>
        <translation>Insert</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="79"/>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="112"/>
        <source>Slot {0} — reader “{1}”</source>
        <translation>Slot {0} — reader “{1}”</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="114"/>
        <source>nothing served</source>
        <translation>nothing served</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="116"/>
        <source>{0} ({1}) in the reader</source>
        <translation>{0} ({1}) in the reader</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="118"/>
        <source>{0} ({1}) going in…</source>
        <translation>{0} ({1}) going in…</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="120"/>
        <source>{0} ({1}) removed</source>
        <translation>{0} ({1}) removed</translation>
    </message>
</context>
<context>
    <name>ApplicantForm</name>
    <message>
        <source>Applicant</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>Application no.</source>
        <translation>Application no.</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>Birth date</translation>
    </message>
    <message>
        <source>Ethnicity</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <source>Birthplace code</source>
        <translation>Birthplace code</translation>
    </message>
    <message>
        <source>Bank</source>
        <translation>Bank</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>Photo</translation>
    </message>
    <message>
        <source>Rare character… (Ctrl+G)</source>
        <translation>Rare character… (Ctrl+G)</translation>
    </message>
    <message>
        <source>Choose photo…</source>
        <translation>Choose photo…</translation>
    </message>
    <message>
        <source>No photo (child under 7)</source>
        <translation>No photo (child under 7)</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>First card</source>
        <translation>First card</translation>
    </message>
    <message>
        <source>Replacement (lost)</source>
        <translation>Replacement (lost)</translation>
    </message>
    <message>
        <source>Exchange</source>
        <translation>Exchange</translation>
    </message>
    <message>
        <source>Han</source>
        <translation>Han</translation>
    </message>
    <message>
        <source>Mongol</source>
        <translation>Mongol</translation>
    </message>
    <message>
        <source>Hui</source>
        <translation>Hui</translation>
    </message>
    <message>
        <source>Tibetan</source>
        <translation>Tibetan</translation>
    </message>
    <message>
        <source>Uyghur</source>
        <translation>Uyghur</translation>
    </message>
    <message>
        <source>Miao</source>
        <translation>Miao</translation>
    </message>
    <message>
        <source>Zhuang</source>
        <translation>Zhuang</translation>
    </message>
    <message>
        <source>Manchu</source>
        <translation>Manchu</translation>
    </message>
    <message>
        <source>Drop a photo here</source>
        <translation>Drop a photo here</translation>
    </message>
    <message>
        <source>Choose the applicant's photo</source>
        <translation>Choose the applicant's photo</translation>
    </message>
    <message>
        <source>Images (*.jpg *.jpeg *.png *.bmp)</source>
        <translation>Images (*.jpg *.jpeg *.png *.bmp)</translation>
    </message>
    <message>
        <source>Rare character</source>
        <translation>Rare character</translation>
    </message>
    <message>
        <source>Pinyin of the character (capitals):</source>
        <translation>Pinyin of the character (capitals):</translation>
    </message>
    <message>
        <source>Glyph image of the character</source>
        <translation>Glyph image of the character</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.bmp)</source>
        <translation>Images (*.png *.jpg *.bmp)</translation>
    </message>
    <message>
        <location filename="../teller/form_view.py"/>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
</context>
<context>
    <name>DayPanel</name>
    <message>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>Made up</source>
        <translation>Made up</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Spoiled</source>
        <translation>Spoiled</translation>
    </message>
</context>
<context>
    <name>FacePreview</name>
    <message>
        <source>Card face preview</source>
        <translation>Card face preview</translation>
    </message>
</context>
<context>
    <name>FailureDialog</name>
    <message>
        <source>Issuance failed</source>
        <translation>Issuance failed</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>What happened</translation>
    </message>
    <message>
        <source>Where the card is</source>
        <translation>Where the card is</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>What to do</translation>
    </message>
    <message>
        <source>Retry on a new blank (Enter)</source>
        <translation>Retry on a new blank (Enter)</translation>
    </message>
    <message>
        <source>Make-up registration (Enter)</source>
        <translation>Make-up registration (Enter)</translation>
    </message>
    <message>
        <source>Reject: no card now</source>
        <translation>Reject: no card now</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>cause recorded</source>
        <translation>cause recorded</translation>
    </message>
    <message>
        <source>print fault</source>
        <translation>print fault</translation>
    </message>
    <message>
        <source>lamination</source>
        <translation>lamination</translation>
    </message>
    <message>
        <source>punching</source>
        <translation>punching</translation>
    </message>
    <message>
        <source>damaged blank</source>
        <translation>damaged blank</translation>
    </message>
    <message>
        <source>chip write fault</source>
        <translation>chip write fault</translation>
    </message>
    <message>
        <source>wrong blank</source>
        <translation>wrong blank</translation>
    </message>
    <message>
        <source>card jam</source>
        <translation>card jam</translation>
    </message>
    <message>
        <source>power loss</source>
        <translation>power loss</translation>
    </message>
    <message>
        <source>cancelled by the operator</source>
        <translation>cancelled by the operator</translation>
    </message>
    <message>
        <source>No card was fed; the blanks are untouched.</source>
        <translation>No card was fed; the blanks are untouched.</translation>
    </message>
    <message>
        <source>Unknown: the printer does not answer. Nothing is booked until it does.</source>
        <translation>Unknown: the printer does not answer. Nothing is booked until it does.</translation>
    </message>
    <message>
        <source>Still inside the printer: open it and take the card out.</source>
        <translation>Still inside the printer: open it and take the card out.</translation>
    </message>
    <message>
        <source>Printed, still inside the printer: leave it there — make-up reads its chip in the printer, then ejects it.</source>
        <translation>Printed, still inside the printer: leave it there — make-up reads its chip in the printer, then ejects it.</translation>
    </message>
    <message>
        <source>Printed and out of the printer: keep the card at the counter.</source>
        <translation>Printed and out of the printer: keep the card at the counter.</translation>
    </message>
    <message>
        <source>In the reject box; its chip holds no personal data — the blank is booked back to your drawer.</source>
        <translation>In the reject box; its chip holds no personal data — the blank is booked back to your drawer.</translation>
    </message>
    <message>
        <source>In the reject box; it is booked spoiled — put it in the spoiled-card tray.</source>
        <translation>In the reject box; it is booked spoiled — put it in the spoiled-card tray.</translation>
    </message>
    <message>
        <source>In the reject box.</source>
        <translation>In the reject box.</translation>
    </message>
    <message>
        <source>Make-up registration: the chip is read again and the job finished. The card is never printed twice.</source>
        <translation>Make-up registration: the chip is read again and the job finished. The card is never printed twice.</translation>
    </message>
    <message>
        <source>Clear the printer if it says so, then retry on a new blank, or reject to stop.</source>
        <translation>Clear the printer if it says so, then retry on a new blank, or reject to stop.</translation>
    </message>
    <message>
        <source>Remove the cause shown above, then press Issue again.</source>
        <translation>Remove the cause shown above, then press Issue again.</translation>
    </message>
    <message>
        <source>Make-up in the desktop reader (Enter)</source>
        <translation>Make-up in the desktop reader (Enter)</translation>
    </message>
    <message>
        <source>Printed, jammed inside the printer: clear the jam and take the card out.</source>
        <translation>Printed, jammed inside the printer: clear the jam and take the card out.</translation>
    </message>
    <message>
        <source>Put the card in the desktop reader %1, then press Enter: make-up registration reads the chip there and finishes the job. The card is never printed twice.</source>
        <translation>Put the card in the desktop reader %1, then press Enter: make-up registration reads the chip there and finishes the job. The card is never printed twice.</translation>
    </message>
    <message>
        <source>No desktop reader is set, so the make-up cannot be done here. Set one in Settings (Desktop reader at the counter) and sign in again: the job stays among the unfinished jobs, waiting for make-up — nothing is lost.</source>
        <translation>No desktop reader is set, so the make-up cannot be done here. Set one in Settings (Desktop reader at the counter) and sign in again: the job stays among the unfinished jobs, waiting for make-up — nothing is lost.</translation>
    </message>
</context>
<context>
    <name>NoTellerBook</name>
    <message>
        <source>No stock book is open — sign in as a teller with a database.</source>
        <translation>No stock book is open — sign in as a teller with a database.</translation>
    </message>
</context>
<context>
    <name>ProgressPanel</name>
    <message>
        <source>Progress</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>Cancel (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
</context>
<context>
    <name>ReadinessPanel</name>
    <message>
        <source>Readiness</source>
        <translation>Readiness</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>Ribbon left</source>
        <translation>Ribbon left</translation>
    </message>
    <message>
        <source>Blanks in drawer</source>
        <translation>Blanks in drawer</translation>
    </message>
    <message>
        <source>Daily count</source>
        <translation>Daily count</translation>
    </message>
    <message>
        <source>Check again (F5)</source>
        <translation>Check again (F5)</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>connecting…</translation>
    </message>
    <message>
        <source>not answering</source>
        <translation>not answering</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>ready</translation>
    </message>
    <message>
        <source>not ready</source>
        <translation>not ready</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>done</source>
        <translation>done</translation>
    </message>
    <message>
        <source>not done</source>
        <translation>not done</translation>
    </message>
</context>
<context>
    <name>ReceiptPanel</name>
    <message>
        <source>Collection receipt</source>
        <translation>Collection receipt</translation>
    </message>
    <message>
        <source>Print receipt and hand over (Ctrl+P)</source>
        <translation>Print receipt and hand over (Ctrl+P)</translation>
    </message>
    <message>
        <source>Save PDF… (Ctrl+Shift+S)</source>
        <translation>Save PDF… (Ctrl+Shift+S)</translation>
    </message>
</context>
<context>
    <name>TellerScreen</name>
    <message>
        <source>Issue card (Ctrl+Enter)</source>
        <translation>Issue card (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Save receipt as PDF</source>
        <translation>Save receipt as PDF</translation>
    </message>
</context>
<context>
    <name>UnfinishedPanel</name>
    <message>
        <source>Unfinished jobs</source>
        <translation>Unfinished jobs</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>Application</translation>
    </message>
    <message>
        <source>Left at</source>
        <translation>Left at</translation>
    </message>
    <message>
        <source>Recovery</source>
        <translation>Recovery</translation>
    </message>
    <message>
        <source>Recover (Ctrl+R)</source>
        <translation>Recover (Ctrl+R)</translation>
    </message>
    <message>
        <source>Make-up in the desktop reader (Ctrl+M)</source>
        <translation>Make-up in the desktop reader (Ctrl+M)</translation>
    </message>
    <message>
        <source>Job %1: the printed card is out of the printer. Put it in the desktop reader %2, then press Ctrl+M.</source>
        <translation>Job %1: the printed card is out of the printer. Put it in the desktop reader %2, then press Ctrl+M.</translation>
    </message>
    <message>
        <source>A printed card is out of the printer and no desktop reader is set: set one in Settings (Desktop reader at the counter) and sign in again. The job waits for make-up; nothing is lost.</source>
        <translation>A printed card is out of the printer and no desktop reader is set: set one in Settings (Desktop reader at the counter) and sign in again. The job waits for make-up; nothing is lost.</translation>
    </message>
</context>
<context>
    <name>StockWords</name>
    <message>
        <source>In the vault</source>
        <translation>In the vault</translation>
    </message>
    <message>
        <source>In a drawer</source>
        <translation>In a drawer</translation>
    </message>
    <message>
        <source>Reserved for a job</source>
        <translation>Reserved for a job</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>Spoiled</source>
        <translation>Spoiled</translation>
    </message>
    <message>
        <source>Destroyed</source>
        <translation>Destroyed</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Lost</translation>
    </message>
    <message>
        <source>Stock-in</source>
        <translation>Stock-in</translation>
    </message>
    <message>
        <source>Allocation</source>
        <translation>Allocation</translation>
    </message>
    <message>
        <source>Reservation</source>
        <translation>Reservation</translation>
    </message>
    <message>
        <source>Release</source>
        <translation>Release</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>Issue</translation>
    </message>
    <message>
        <source>Spoilage</source>
        <translation>Spoilage</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>Destruction</source>
        <translation>Destruction</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Loss</translation>
    </message>
    <message>
        <source>Vault</source>
        <translation>Vault</translation>
    </message>
    <message>
        <source>Teller&apos;s drawer</source>
        <translation>Teller&apos;s drawer</translation>
    </message>
    <message>
        <source>Station hopper</source>
        <translation>Station hopper</translation>
    </message>
    <message>
        <source>Reject box</source>
        <translation>Reject box</translation>
    </message>
    <message>
        <source>Teller</source>
        <translation>Teller</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Auditor</source>
        <translation>Auditor</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>Technician</translation>
    </message>
    <message>
        <source>Print fault</source>
        <translation>Print fault</translation>
    </message>
    <message>
        <source>Lamination</source>
        <translation>Lamination</translation>
    </message>
    <message>
        <source>Punching</source>
        <translation>Punching</translation>
    </message>
    <message>
        <source>Damaged blank</source>
        <translation>Damaged blank</translation>
    </message>
    <message>
        <source>Chip write fault</source>
        <translation>Chip write fault</translation>
    </message>
    <message>
        <source>Wrong blank</source>
        <translation>Wrong blank</translation>
    </message>
    <message>
        <source>Card jam</source>
        <translation>Card jam</translation>
    </message>
    <message>
        <source>Power loss</source>
        <translation>Power loss</translation>
    </message>
    <message>
        <source>Cancelled by the operator</source>
        <translation>Cancelled by the operator</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>Made up</source>
        <translation>Made up</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
</context>
</TS>
