<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ClerkView</name>
    <message>
        <location filename="../clerk/view.py" line="170"/>
        <source>Card</source>
        <translation>卡片</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="172"/>
        <source>Holder</source>
        <translation>持卡人</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="173"/>
        <source>Social security number</source>
        <translation>社会保障号码</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="174"/>
        <source>Card number</source>
        <translation>社保卡号</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="175"/>
        <source>Generation and algorithm</source>
        <translation>卡代与算法</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="176"/>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="177"/>
        <source>Genuineness</source>
        <translation>真伪校验</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="178"/>
        <source>PIN tries left</source>
        <translation>密码剩余次数</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="181"/>
        <source>Read again (F5)</source>
        <translation>重新读卡 (F5)</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="182"/>
        <location filename="../clerk/view.py" line="193"/>
        <source>Change PIN</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="183"/>
        <location filename="../clerk/view.py" line="196"/>
        <source>Unlock PIN</source>
        <translation>解锁密码</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="184"/>
        <location filename="../clerk/view.py" line="197"/>
        <source>Reset PIN</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="187"/>
        <source>Old PIN</source>
        <translation>原密码</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="187"/>
        <location filename="../clerk/view.py" line="191"/>
        <source>New PIN</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="187"/>
        <location filename="../clerk/view.py" line="192"/>
        <source>New PIN again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="194"/>
        <location filename="../clerk/view.py" line="195"/>
        <source>I have checked the holder&apos;s ID document</source>
        <translation>已核验持卡人身份证件</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="198"/>
        <source>Receipt</source>
        <translation>业务回执</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="199"/>
        <source>Print… (Ctrl+P)</source>
        <translation>打印… (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="200"/>
        <source>Save PDF… (Ctrl+S)</source>
        <translation>保存PDF… (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="201"/>
        <source>Services of the day</source>
        <translation>当日业务</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="203"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="203"/>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="203"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="203"/>
        <source>Serial</source>
        <translation>受理编号</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="205"/>
        <source>Reprint selected</source>
        <translation>补打所选回执</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="218"/>
        <source>Generation %1, %2</source>
        <translation>第%1代，%2</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="225"/>
        <source>EXPIRED on %1</source>
        <translation>已于%1过期</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="229"/>
        <source>Genuine</source>
        <translation>真卡</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="229"/>
        <source>NOT genuine</source>
        <translation>非真卡</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="232"/>
        <source>PIN locked: unlock or reset needed</source>
        <translation>密码已锁定：须解锁或重置</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="234"/>
        <source>No PIN set</source>
        <translation>未设置密码</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="236"/>
        <source>%1 left — warning: the card locks after the last wrong PIN</source>
        <translation>剩余%1次 — 注意：最后一次输错后卡片将锁定</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="249"/>
        <source>Insert the card</source>
        <translation>请插入社会保障卡</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="266"/>
        <source>Working with the card…</source>
        <translation>正在读写卡片…</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="275"/>
        <source>The two new PINs differ</source>
        <translation>两次输入的新密码不一致</translation>
    </message>
    <message>
        <location filename="../clerk/view.py" line="358"/>
        <source>Save receipt as PDF</source>
        <translation>回执另存为PDF</translation>
    </message>
</context>
<context>
    <name>DeviceLabel</name>
    <message>
        <location filename="../shell.py" line="157"/>
        <source>Card reader</source>
        <translation>读卡器</translation>
    </message>
    <message>
        <location filename="../shell.py" line="158"/>
        <source>PSAM</source>
        <translation>PSAM卡</translation>
    </message>
    <message>
        <location filename="../shell.py" line="159"/>
        <source>Card printer</source>
        <translation>制卡机</translation>
    </message>
    <message>
        <location filename="../shell.py" line="163"/>
        <source>connecting…</source>
        <translation>连接中…</translation>
    </message>
    <message>
        <location filename="../shell.py" line="164"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../shell.py" line="166"/>
        <source>no card</source>
        <translation>无卡</translation>
    </message>
    <message>
        <location filename="../shell.py" line="168"/>
        <source>no PSAM</source>
        <translation>无PSAM卡</translation>
    </message>
    <message>
        <location filename="../shell.py" line="169"/>
        <source>card inserted</source>
        <translation>已插卡</translation>
    </message>
    <message>
        <location filename="../shell.py" line="171"/>
        <source>PSAM present</source>
        <translation>PSAM已插入</translation>
    </message>
    <message>
        <location filename="../shell.py" line="172"/>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location filename="../shell.py" line="173"/>
        <source>fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <location filename="../shell.py" line="174"/>
        <source>PC/SC service down</source>
        <translation>PC/SC服务未运行</translation>
    </message>
    <message>
        <source>cover open</source>
        <translation>机盖打开</translation>
    </message>
    <message>
        <source>card jam</source>
        <translation>卡片卡住</translation>
    </message>
    <message>
        <source>reject box full</source>
        <translation>废卡箱已满</translation>
    </message>
    <message>
        <source>ribbon used up</source>
        <translation>色带用完</translation>
    </message>
    <message>
        <source>no blank cards in the feeder</source>
        <translation>进卡器中没有空白卡</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../shell.py" line="265"/>
        <source>Social security card station</source>
        <translation>社会保障卡柜面系统</translation>
    </message>
    <message>
        <location filename="../shell.py" line="267"/>
        <source>TRAINING MODE (virtual card and PSAM)</source>
        <translation>培训模式（虚拟卡和PSAM）</translation>
    </message>
    <message>
        <location filename="../shell.py" line="269"/>
        <source>&amp;Session</source>
        <translation>会话(&amp;S)</translation>
    </message>
    <message>
        <location filename="../shell.py" line="270"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../shell.py" line="271"/>
        <source>Lock (Ctrl+L)</source>
        <translation>锁定 (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../shell.py" line="272"/>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <location filename="../shell.py" line="274"/>
        <source>PIN services</source>
        <translation>密码服务</translation>
    </message>
    <message>
        <location filename="../shell.py" line="275"/>
        <source>Issuance</source>
        <translation>即时制卡</translation>
    </message>
    <message>
        <location filename="../shell.py" line="276"/>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <location filename="../shell.py" line="277"/>
        <source>Technician bench</source>
        <translation>技术员工作台</translation>
    </message>
    <message>
        <location filename="../shell.py" line="296"/>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../shell.py" line="302"/>
        <source>Technician (not signed in)</source>
        <translation>技术员（未登录）</translation>
    </message>
    <message>
        <location filename="../shell.py" line="321"/>
        <source>Enter the operator ID and the password</source>
        <translation>请输入工号和密码</translation>
    </message>
    <message>
        <location filename="../shell.py"/>
        <source>Teller</source>
        <translation>柜员</translation>
    </message>
    <message>
        <location filename="../shell.py"/>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../shell.py"/>
        <source>Auditor</source>
        <translation>审计员</translation>
    </message>
    <message>
        <location filename="../shell.py"/>
        <source>Technician</source>
        <translation>技术员</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="91"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="93"/>
        <source>Database URL</source>
        <translation>数据库地址</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="94"/>
        <source>Card reader</source>
        <translation>读卡器</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="95"/>
        <source>PSAM reader</source>
        <translation>PSAM读卡器</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="96"/>
        <source>Card printer URL</source>
        <translation>制卡机地址</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="97"/>
        <source>Outlet</source>
        <translation>受理网点</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="98"/>
        <source>Lock after idle minutes</source>
        <translation>空闲锁定（分钟）</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py"/>
        <source>The idle lock changes at once; the database, readers, printer and outlet at the next start.</source>
        <translation>空闲锁定立即生效；数据库、读卡器、制卡机和受理网点在下次启动时生效。</translation>
    </message>
    <message>
        <source>Desktop reader at the counter (empty: none)</source>
        <translation>柜台桌面读卡器（留空：无）</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../shell.py" line="131"/>
        <source>Social security card station — sign in</source>
        <translation>社会保障卡柜面系统 — 登录</translation>
    </message>
    <message>
        <location filename="../shell.py" line="132"/>
        <source>Operator ID</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../shell.py" line="133"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../shell.py" line="134"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../shell.py" line="135"/>
        <source>Technician without sign-in</source>
        <translation>技术员免登录</translation>
    </message>
    <message>
        <location filename="../shell.py" line="136"/>
        <source>Practise PIN services (training)</source>
        <translation>练习密码服务（培训）</translation>
    </message>
</context>
<context>
    <name>AllocateView</name>
    <message>
        <location filename="../supervisor/views/allocate.py" line="55"/>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="55"/>
        <location filename="../supervisor/views/allocate.py" line="59"/>
        <source>Bank</source>
        <translation>银行</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="55"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="55"/>
        <source>Cards</source>
        <translation>张数</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="58"/>
        <source>Stock now, by location, bank and state</source>
        <translation>当前库存（按位置、银行和状态）</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="59"/>
        <source>To drawer or station</source>
        <translation>调往卡箱或工作站</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="59"/>
        <source>Number of blanks</source>
        <translation>预制卡张数</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="62"/>
        <source>&amp;Allocate from the vault</source>
        <translation>从金库调拨(&amp;A)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="63"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="77"/>
        <source>Choose a location and a bank.</source>
        <translation>请选择位置和银行。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/allocate.py" line="83"/>
        <source>%n blank(s) allocated to %1</source>
        <translation>已向%1调拨%n张预制卡</translation>
    </message>
</context>
<context>
    <name>CountView</name>
    <message>
        <location filename="../supervisor/views/count.py" line="124"/>
        <source>Bank</source>
        <translation>银行</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="124"/>
        <source>In the book</source>
        <translation>账面</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="124"/>
        <source>Counted</source>
        <translation>实点</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="124"/>
        <source>Difference</source>
        <translation>差额</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="127"/>
        <source>Missing card (tick = lost)</source>
        <translation>短少的卡（勾选=遗失）</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="131"/>
        <source>Drawer, station or vault to count</source>
        <translation>盘点的卡箱、工作站或金库</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="132"/>
        <source>&amp;Start the count</source>
        <translation>开始盘点(&amp;S)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="134"/>
        <source>Type or scan each card number on the shelf, then press Enter:</source>
        <translation>逐张输入或扫描实物卡号，然后按回车：</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="136"/>
        <source>card number(s)</source>
        <translation>卡号</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="137"/>
        <source>Remove selected</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="138"/>
        <source>S&amp;ubmit the count</source>
        <translation>提交盘点(&amp;U)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="139"/>
        <source>Missing from the shelf:</source>
        <translation>实物短少：</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="140"/>
        <source>Found but not booked here:</source>
        <translation>实有但账面不在此处：</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="141"/>
        <source>Resolution note</source>
        <translation>处理说明</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="142"/>
        <source>&amp;Resolve the difference</source>
        <translation>处理差异(&amp;R)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="143"/>
        <source>&amp;New count</source>
        <translation>新盘点(&amp;N)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="153"/>
        <source>Step 1 of 3 — choose the place</source>
        <translation>第1步（共3步） — 选择盘点位置</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="154"/>
        <source>Step 2 of 3 — the cards on the shelf</source>
        <translation>第2步（共3步） — 清点实物卡</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="155"/>
        <source>Step 3 of 3 — the result</source>
        <translation>第3步（共3步） — 盘点结果</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="176"/>
        <source>Unresolved differences: %1</source>
        <translation>未处理的差异：%1</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="179"/>
        <source>No unresolved differences.</source>
        <translation>没有未处理的差异。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="190"/>
        <source>Count #%1 at %2 started.</source>
        <translation>盘点#%1（%2）已开始。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="210"/>
        <source>%n card(s) seen</source>
        <translation>已清点%n张</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="229"/>
        <source>Count #%1 matches the book.</source>
        <translation>盘点#%1账实相符。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="231"/>
        <source>Count #%1: the difference is resolved.</source>
        <translation>盘点#%1：差异已处理。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="233"/>
        <source>Count #%1 DIFFERS from the book: %2 missing, %3 not booked here.</source>
        <translation>盘点#%1与账面不符：短少%2张，多出%3张。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/count.py" line="242"/>
        <source>Write what explains the difference.</source>
        <translation>请填写差异的原因。</translation>
    </message>
</context>
<context>
    <name>DestroyView</name>
    <message>
        <location filename="../supervisor/views/destroy.py" line="101"/>
        <source>Card number</source>
        <translation>社保卡号</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="101"/>
        <source>Bank</source>
        <translation>银行</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="101"/>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="101"/>
        <source>Job</source>
        <translation>制卡任务</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="104"/>
        <source>Spoiled blanks in the reject box (tick the ones to destroy)</source>
        <translation>废卡箱中的废卡（勾选要销毁的卡）</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="105"/>
        <source>Tick &amp;all</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="106"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="107"/>
        <source>e.g. shredded in front of both signers</source>
        <translation>如：双人在场粉碎</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="108"/>
        <source>&amp;Destroy ticked…</source>
        <translation>销毁所选…(&amp;D)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="125"/>
        <source>Tick the cards to destroy first.</source>
        <translation>请先勾选要销毁的卡。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="139"/>
        <source>Enter the witness&apos;s operator ID.</source>
        <translation>请输入见证人的工号。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="141"/>
        <source>The witness must be another person than you.</source>
        <translation>见证人必须是您以外的另一人。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="145"/>
        <source>Signing the witness in…</source>
        <translation>见证人登录中…</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="150"/>
        <source>%n card(s) destroyed, record #%1, signed by two people.</source>
        <translation>已销毁%n张卡，记录#%1，双人签字。</translation>
    </message>
</context>
<context>
    <name>FilterTable</name>
    <message>
        <location filename="../supervisor/models.py" line="158"/>
        <source>Filter…</source>
        <translation>筛选…</translation>
    </message>
</context>
<context>
    <name>LedgerView</name>
    <message>
        <location filename="../supervisor/views/ledger.py" line="39"/>
        <source>Every movement is a row of a hash chain. The check walks the chain, replays it into the state of every blank and compares with the stock, and proves that every head written to the witness file is still in the chain.</source>
        <translation>每笔出入库都是哈希链中的一行。核验逐行检查链条，重放出每张预制卡的状态并与库存比对，并证明见证文件中记录的每个账头仍在链中。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/ledger.py" line="45"/>
        <source>Witness file: %1</source>
        <translation>见证文件：%1</translation>
    </message>
    <message>
        <location filename="../supervisor/views/ledger.py" line="47"/>
        <source>&amp;Check the ledger</source>
        <translation>核验账本(&amp;C)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/ledger.py" line="57"/>
        <source>Ledger OK: %1 rows, chain and replay verified, %2 witnessed head(s) found.</source>
        <translation>账本完整：%1行，链条与重放均已核验，找到%2个见证账头。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/ledger.py" line="63"/>
        <source>Head witnessed: %1 rows, SM3 %2</source>
        <translation>已见证账头：%1行，SM3 %2</translation>
    </message>
    <message>
        <location filename="../supervisor/views/ledger.py" line="69"/>
        <source>LEDGER DOES NOT VERIFY: %n problem(s). Call the auditor.</source>
        <translation>账本核验未通过：%n处问题。请联系审计员。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/ledger.py" line="75"/>
        <source>First bad row: %1</source>
        <translation>首个错误行：%1</translation>
    </message>
</context>
<context>
    <name>NoBook</name>
    <message>
        <location filename="../supervisor/__init__.py" line="121"/>
        <source>No stock book is open — sign in as a supervisor with a database.</source>
        <translation>未打开库存账本 — 请以主管身份登录并配置数据库。</translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <location filename="../supervisor/views/outbox.py" line="75"/>
        <source>Job</source>
        <translation>制卡任务</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="76"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="77"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="78"/>
        <source>ID number (masked)</source>
        <translation>身份证号（脱敏）</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="79"/>
        <source>Card number</source>
        <translation>社保卡号</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="80"/>
        <source>Bank</source>
        <translation>银行</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="81"/>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="82"/>
        <source>Finished (UTC)</source>
        <translation>完成时间 (UTC)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="87"/>
        <source>Pending registrations: %n</source>
        <translation>待回盘记录：%n</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="89"/>
        <source>Exported batches</source>
        <translation>已导出批次</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="90"/>
        <source>Records of the chosen batch</source>
        <translation>所选批次的记录</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="91"/>
        <source>Export folder</source>
        <translation>导出文件夹</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="93"/>
        <source>&amp;Export a new batch</source>
        <translation>导出新批次(&amp;E)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="94"/>
        <source>Export chosen batch a&amp;gain</source>
        <translation>重新导出所选批次(&amp;G)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="95"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="127"/>
        <source>Nothing pending: no batch was made.</source>
        <translation>没有待导出记录：未生成批次。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/outbox.py" line="130"/>
        <source>Batch %1: %n record(s) written to %2</source>
        <translation>批次%1：%n条记录已写入%2</translation>
    </message>
</context>
<context>
    <name>PathField</name>
    <message>
        <location filename="../supervisor/views/common.py" line="116"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
</context>
<context>
    <name>RegistryView</name>
    <message>
        <location filename="../supervisor/views/registry.py" line="102"/>
        <location filename="../supervisor/views/registry.py" line="122"/>
        <source>Operator ID</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="102"/>
        <location filename="../supervisor/views/registry.py" line="116"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="102"/>
        <location filename="../supervisor/views/registry.py" line="105"/>
        <location filename="../supervisor/views/registry.py" line="108"/>
        <location filename="../supervisor/views/registry.py" line="115"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="102"/>
        <source>Active</source>
        <translation>在职</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="105"/>
        <location filename="../supervisor/views/registry.py" line="108"/>
        <location filename="../supervisor/views/registry.py" line="118"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="108"/>
        <location filename="../supervisor/views/registry.py" line="119"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="108"/>
        <source>Owner</source>
        <translation>责任人</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="111"/>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="111"/>
        <source>Banks</source>
        <translation>银行</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="111"/>
        <source>Manufacturers</source>
        <translation>制卡商</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="111"/>
        <source>Locations</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="117"/>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="120"/>
        <source>Owner (teller)</source>
        <translation>责任人（柜员）</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="127"/>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="128"/>
        <source>New entry</source>
        <translation>新增条目</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="131"/>
        <source>Teller</source>
        <translation>柜员</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="132"/>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="133"/>
        <source>Auditor</source>
        <translation>审计员</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="134"/>
        <source>Technician</source>
        <translation>技术员</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="137"/>
        <source>Teller&apos;s drawer</source>
        <translation>柜员卡箱</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="138"/>
        <source>Station hopper</source>
        <translation>工作站卡槽</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="139"/>
        <source>Vault</source>
        <translation>金库</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="140"/>
        <source>Reject box</source>
        <translation>废卡箱</translation>
    </message>
    <message>
        <location filename="../supervisor/views/registry.py" line="164"/>
        <source>User %1 added. One-time code (shown once, hand it over privately): %2</source>
        <translation>已添加用户%1。一次性密码（仅显示一次，请私下交付）：%2</translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <location filename="../supervisor/views/reports.py" line="80"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="81"/>
        <location filename="../supervisor/views/reports.py" line="106"/>
        <location filename="../supervisor/views/reports.py" line="116"/>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="82"/>
        <location filename="../supervisor/views/reports.py" line="96"/>
        <location filename="../supervisor/views/reports.py" line="105"/>
        <location filename="../supervisor/views/reports.py" line="115"/>
        <source>Bank</source>
        <translation>银行</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="83"/>
        <source>Opening</source>
        <translation>期初</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="84"/>
        <source>Received</source>
        <translation>收入</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="85"/>
        <source>Sent</source>
        <translation>调出</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="86"/>
        <location filename="../supervisor/views/reports.py" line="97"/>
        <source>Issued</source>
        <translation>发卡</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="87"/>
        <location filename="../supervisor/views/reports.py" line="98"/>
        <source>Spoiled</source>
        <translation>废卡</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="88"/>
        <source>Returned</source>
        <translation>退回</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="89"/>
        <location filename="../supervisor/views/reports.py" line="128"/>
        <source>Destroyed</source>
        <translation>已销毁</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="90"/>
        <source>Lost</source>
        <translation>遗失</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="91"/>
        <source>Closing</source>
        <translation>期末</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="92"/>
        <source>Balanced</source>
        <translation>平衡</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="94"/>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="94"/>
        <source>Cards</source>
        <translation>张数</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="94"/>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="99"/>
        <location filename="../supervisor/views/reports.py" line="127"/>
        <source>Waste rate</source>
        <translation>废卡率</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="102"/>
        <source>At (UTC)</source>
        <translation>时间 (UTC)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="103"/>
        <source>Action</source>
        <translation>动作</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="104"/>
        <location filename="../supervisor/views/reports.py" line="114"/>
        <source>Card number</source>
        <translation>社保卡号</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="107"/>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="108"/>
        <source>Witness</source>
        <translation>见证人</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="109"/>
        <source>Job</source>
        <translation>制卡任务</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="110"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="111"/>
        <source>Reference</source>
        <translation>关联</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="117"/>
        <source>Since (UTC)</source>
        <translation>自 (UTC)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="118"/>
        <source>Days</source>
        <translation>天数</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="125"/>
        <source>Daily balance</source>
        <translation>日结表</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="126"/>
        <source>Spoiled by cause</source>
        <translation>废卡原因</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="129"/>
        <source>Idle blanks</source>
        <translation>闲置预制卡</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="135"/>
        <source>Report</source>
        <translation>报表</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="135"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="135"/>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="135"/>
        <source>Idle over (days)</source>
        <translation>闲置超过（天）</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="139"/>
        <source>&amp;Show</source>
        <translation>显示(&amp;S)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="140"/>
        <source>Export &amp;CSV</source>
        <translation>导出CSV(&amp;C)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="141"/>
        <source>Export P&amp;DF</source>
        <translation>导出PDF(&amp;D)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="155"/>
        <source>%n row(s).</source>
        <translation>共%n行。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="160"/>
        <source>Choose where to write the report.</source>
        <translation>请选择报表保存位置。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/reports.py" line="171"/>
        <source>Written: %1</source>
        <translation>已写入：%1</translation>
    </message>
</context>
<context>
    <name>StockInView</name>
    <message>
        <location filename="../supervisor/views/stockin.py" line="51"/>
        <location filename="../supervisor/views/stockin.py" line="61"/>
        <source>Line</source>
        <translation>行号</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="52"/>
        <source>Card number</source>
        <translation>社保卡号</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="53"/>
        <source>Card id code</source>
        <translation>卡识别码</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="54"/>
        <source>Bank</source>
        <translation>银行</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="55"/>
        <source>Manufacturer</source>
        <translation>制卡商</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="56"/>
        <source>Bank account (masked)</source>
        <translation>银行账号（脱敏）</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="57"/>
        <source>Expiry</source>
        <translation>有效期</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="61"/>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="64"/>
        <source>Manifest file</source>
        <translation>入库清单文件</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="66"/>
        <source>&amp;Preview</source>
        <translation>预览(&amp;P)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="67"/>
        <source>&amp;Import this batch</source>
        <translation>导入本批(&amp;I)</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="73"/>
        <source>Choose a manifest file first.</source>
        <translation>请先选择入库清单文件。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="78"/>
        <source>Reading the manifest…</source>
        <translation>正在读取入库清单…</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="99"/>
        <source>%n card(s) of bank %1 from maker %2, ready to import.</source>
        <translation>%n张卡，银行%1，制卡商%2，可以入库。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="112"/>
        <source>Imported batch #%1: %n card(s) of %2 into the vault.</source>
        <translation>已入库批次#%1：%2的%n张卡进入金库。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/stockin.py" line="122"/>
        <source>%n problem(s) in the manifest: nothing was imported.</source>
        <translation>入库清单有%n处错误，整批未导入。</translation>
    </message>
</context>
<context>
    <name>Supervisor</name>
    <message>
        <location filename="../supervisor/__init__.py" line="87"/>
        <source>Stock-in</source>
        <translation>入库</translation>
    </message>
    <message>
        <location filename="../supervisor/__init__.py" line="88"/>
        <source>Allocation</source>
        <translation>调拨</translation>
    </message>
    <message>
        <location filename="../supervisor/__init__.py" line="89"/>
        <source>Daily count</source>
        <translation>每日盘点</translation>
    </message>
    <message>
        <location filename="../supervisor/__init__.py" line="90"/>
        <source>Destruction</source>
        <translation>销毁</translation>
    </message>
    <message>
        <location filename="../supervisor/__init__.py" line="91"/>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <location filename="../supervisor/__init__.py" line="92"/>
        <source>Ledger check</source>
        <translation>账本核验</translation>
    </message>
    <message>
        <location filename="../supervisor/__init__.py" line="93"/>
        <source>Users and places</source>
        <translation>用户与位置</translation>
    </message>
    <message>
        <location filename="../supervisor/__init__.py" line="94"/>
        <source>Outbox</source>
        <translation>回盘</translation>
    </message>
</context>
<context>
    <name>WitnessDialog</name>
    <message>
        <location filename="../supervisor/views/destroy.py" line="55"/>
        <source>Second signer</source>
        <translation>第二签字人</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="57"/>
        <source>Destroy %n card(s). A second person (not %1) signs in to witness it.</source>
        <translation>销毁%n张卡。须由第二人（非%1）登录作见证。</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="61"/>
        <source>Witness operator ID</source>
        <translation>见证人工号</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py" line="62"/>
        <source>Witness password</source>
        <translation>见证人密码</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py"/>
        <source>Witness</source>
        <translation>确认见证</translation>
    </message>
    <message>
        <location filename="../supervisor/views/destroy.py"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>Bench</name>
    <message>
        <location filename="../bench/__init__.py" line="68"/>
        <source>Readers</source>
        <translation>读卡器</translation>
    </message>
    <message>
        <location filename="../bench/__init__.py" line="69"/>
        <source>APDU console</source>
        <translation>指令控制台</translation>
    </message>
    <message>
        <location filename="../bench/__init__.py" line="70"/>
        <source>Profiles</source>
        <translation>配置文件检查</translation>
    </message>
    <message>
        <location filename="../bench/__init__.py" line="71"/>
        <source>Virtual cards</source>
        <translation>虚拟卡</translation>
    </message>
    <message>
        <location filename="../bench/__init__.py" line="72"/>
        <source>Printer</source>
        <translation>制卡机</translation>
    </message>
    <message>
        <location filename="../bench/__init__.py" line="73"/>
        <source>Face preview</source>
        <translation>卡面预览</translation>
    </message>
</context>
<context>
    <name>ConsoleController</name>
    <message>
        <location filename="../bench/controllers/console.py" line="148"/>
        <source>A command is still running; wait for its answer.</source>
        <translation>上一条指令尚未应答，请稍候。</translation>
    </message>
    <message>
        <location filename="../bench/controllers/console.py" line="151"/>
        <source>Choose a reader first.</source>
        <translation>请先选择读卡器。</translation>
    </message>
</context>
<context>
    <name>ConsoleView</name>
    <message>
        <location filename="../bench/views/console.py" line="31"/>
        <source>SELECT MF (3F00)</source>
        <translation>选择主文件 SELECT MF (3F00)</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="32"/>
        <source>SELECT SSSE application</source>
        <translation>选择社保应用 SELECT SSSE</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="33"/>
        <source>SELECT EF05 (issuer data)</source>
        <translation>选择 EF05（发卡机构数据）</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="34"/>
        <source>READ RECORD EF05 (all)</source>
        <translation>读记录 EF05（全部）</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="35"/>
        <source>READ RECORD EF06 (all)</source>
        <translation>读记录 EF06（全部）</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="36"/>
        <source>GET CHALLENGE (8)</source>
        <translation>取随机数 GET CHALLENGE（8字节）</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="37"/>
        <source>VERIFY (tries left, no PIN)</source>
        <translation>查询密码剩余次数 VERIFY（不含密码）</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="139"/>
        <source>Reader:</source>
        <translation>读卡器：</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="141"/>
        <source>Command APDU in hex, e.g. 00A4040000 (Up/Down: history)</source>
        <translation>十六进制指令 APDU，例如 00A4040000（↑/↓：历史指令）</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="143"/>
        <source>&amp;Send</source>
        <translation>发送(&amp;S)</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="144"/>
        <source>Commands</source>
        <translation>常用指令</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="147"/>
        <source>Save trace…</source>
        <translation>保存跟踪记录…</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="148"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="150"/>
        <source>PINs and keys are always redacted; record and binary content is masked.</source>
        <translation>密码和密钥一律隐去；记录和二进制文件内容已屏蔽。</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="206"/>
        <source>Save trace</source>
        <translation>保存跟踪记录</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="206"/>
        <source>Text (*.txt)</source>
        <translation>文本文件 (*.txt)</translation>
    </message>
    <message>
        <location filename="../bench/views/console.py" line="217"/>
        <source>Trace saved: {0}</source>
        <translation>跟踪记录已保存：{0}</translation>
    </message>
</context>
<context>
    <name>FaceView</name>
    <message>
        <location filename="../bench/views/face.py" line="45"/>
        <source>&amp;Preview face</source>
        <translation>预览卡面(&amp;P)</translation>
    </message>
    <message>
        <location filename="../bench/views/face.py" line="49"/>
        <source>Sample data only: a fictional holder.</source>
        <translation>仅为样例数据：持卡人为虚构。</translation>
    </message>
    <message>
        <location filename="../bench/views/face.py" line="68"/>
        <source>{0}: sample holder {1}, card number {2} (fictional)</source>
        <translation>{0}：样例持卡人 {1}，卡号 {2}（虚构）</translation>
    </message>
</context>
<context>
    <name>PrinterView</name>
    <message>
        <location filename="../bench/views/printer.py" line="31"/>
        <source>Feed a card</source>
        <translation>进卡</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="32"/>
        <source>To contacts</source>
        <translation>移至芯片触点</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="33"/>
        <source>To print position</source>
        <translation>移至打印位</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="34"/>
        <source>Eject</source>
        <translation>出卡</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="35"/>
        <source>Reject</source>
        <translation>退入废卡盒</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="36"/>
        <source>Reset</source>
        <translation>复位</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="39"/>
        <source>Jam</source>
        <translation>塞卡</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="40"/>
        <source>Ribbon end</source>
        <translation>色带用完</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="41"/>
        <source>Cover open</source>
        <translation>机盖打开</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="42"/>
        <source>Feeder empty</source>
        <translation>进卡盒空</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="43"/>
        <source>Reject box full</source>
        <translation>废卡盒满</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="44"/>
        <source>Chip absent</source>
        <translation>无芯片</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="45"/>
        <source>Chip mute</source>
        <translation>芯片无应答</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="46"/>
        <source>Power loss</source>
        <translation>断电</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="47"/>
        <source>Offline</source>
        <translation>脱机</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="50"/>
        <source>Load ribbon</source>
        <translation>装色带</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="51"/>
        <source>Clear jam</source>
        <translation>排除塞卡</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="52"/>
        <source>Load cards</source>
        <translation>装卡</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="53"/>
        <source>Empty reject box</source>
        <translation>清空废卡盒</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="54"/>
        <source>Close cover</source>
        <translation>合上机盖</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="57"/>
        <source>card jam</source>
        <translation>塞卡</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="58"/>
        <source>ribbon ended</source>
        <translation>色带用完</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="59"/>
        <source>cover open</source>
        <translation>机盖打开</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="60"/>
        <source>feeder empty</source>
        <translation>进卡盒空</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="61"/>
        <source>reject box full</source>
        <translation>废卡盒满</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="64"/>
        <source>no card inside</source>
        <translation>机内无卡</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="65"/>
        <source>print position</source>
        <translation>打印位</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="66"/>
        <source>under the contacts</source>
        <translation>芯片触点处</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="67"/>
        <source>contactless station</source>
        <translation>非接触工位</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="68"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="145"/>
        <source>Printer URL:</source>
        <translation>制卡机地址：</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="146"/>
        <source>Connect / &amp;refresh</source>
        <translation>连接/刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="147"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="149"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="150"/>
        <source>Faults now</source>
        <translation>当前故障</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="151"/>
        <source>Armed faults (simulator)</source>
        <translation>已设故障（模拟器）</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="152"/>
        <source>Ribbon left</source>
        <translation>色带余量</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="153"/>
        <source>Card position</source>
        <translation>卡片位置</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="154"/>
        <source>Feeder</source>
        <translation>进卡盒</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="155"/>
        <source>Model / firmware</source>
        <translation>型号/固件</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="159"/>
        <source>Moves</source>
        <translation>走卡动作</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="162"/>
        <source>Simulator</source>
        <translation>模拟器</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="163"/>
        <source>Faults:</source>
        <translation>故障：</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="164"/>
        <source>Remedies:</source>
        <translation>排除：</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="173"/>
        <source>connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="203"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="211"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="211"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="221"/>
        <source>{0} at the {1}th event</source>
        <translation>{0}（第{1}次动作时）</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="228"/>
        <source>not a simulator</source>
        <translation>非模拟器</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="229"/>
        <source>{0} prints</source>
        <translation>可打印{0}张</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="231"/>
        <source>loaded</source>
        <translation>有卡</translation>
    </message>
    <message>
        <location filename="../bench/views/printer.py" line="231"/>
        <source>empty</source>
        <translation>空</translation>
    </message>
</context>
<context>
    <name>ProfileView</name>
    <message>
        <location filename="../bench/views/profiles.py" line="72"/>
        <source>&amp;Check</source>
        <translation>检查(&amp;C)</translation>
    </message>
    <message>
        <location filename="../bench/views/profiles.py" line="73"/>
        <source>&amp;Open profile…</source>
        <translation>打开配置文件…(&amp;O)</translation>
    </message>
    <message>
        <location filename="../bench/views/profiles.py" line="77"/>
        <source>Choose a profile to check.</source>
        <translation>请选择要检查的配置文件。</translation>
    </message>
    <message>
        <location filename="../bench/views/profiles.py" line="88"/>
        <source>Open profile</source>
        <translation>打开配置文件</translation>
    </message>
    <message>
        <location filename="../bench/views/profiles.py" line="88"/>
        <source>Profiles (*.toml)</source>
        <translation>配置文件 (*.toml)</translation>
    </message>
    <message>
        <location filename="../bench/views/profiles.py" line="100"/>
        <source>Profile OK: {0}</source>
        <translation>配置文件无误：{0}</translation>
    </message>
    <message>
        <location filename="../bench/views/profiles.py" line="105"/>
        <source>Line {0}: {1}</source>
        <translation>第{0}行：{1}</translation>
    </message>
</context>
<context>
    <name>ReadersController</name>
    <message>
        <location filename="../bench/controllers/readers.py" line="87"/>
        <source>Card inserted: {0}</source>
        <translation>插入卡片：{0}</translation>
    </message>
    <message>
        <location filename="../bench/controllers/readers.py" line="94"/>
        <source>Card removed: {0}</source>
        <translation>取出卡片：{0}</translation>
    </message>
</context>
<context>
    <name>ReadersView</name>
    <message>
        <location filename="../bench/views/readers.py" line="65"/>
        <source>PC/SC readers (updated live)</source>
        <translation>PC/SC 读卡器（实时更新）</translation>
    </message>
    <message>
        <location filename="../bench/views/readers.py" line="66"/>
        <source>Reader</source>
        <translation>读卡器</translation>
    </message>
    <message>
        <location filename="../bench/views/readers.py" line="66"/>
        <source>Card</source>
        <translation>卡片</translation>
    </message>
    <message>
        <location filename="../bench/views/readers.py" line="66"/>
        <source>ATR</source>
        <translation>复位应答 ATR</translation>
    </message>
    <message>
        <location filename="../bench/views/readers.py" line="67"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../bench/views/readers.py" line="68"/>
        <source>Insert / remove events</source>
        <translation>插卡/取卡记录</translation>
    </message>
    <message>
        <location filename="../bench/views/readers.py" line="72"/>
        <source>card present</source>
        <translation>有卡</translation>
    </message>
    <message>
        <location filename="../bench/views/readers.py" line="72"/>
        <source>no card</source>
        <translation>无卡</translation>
    </message>
</context>
<context>
    <name>VirtualCardsController</name>
    <message>
        <location filename="../bench/controllers/virtual.py" line="110"/>
        <source>Serve a profile on this slot first.</source>
        <translation>请先在此卡槽上加载一个配置文件。</translation>
    </message>
</context>
<context>
    <name>VirtualCardsView</name>
    <message>
        <location filename="../bench/views/virtual.py" line="71"/>
        <source>Serve a card or PSAM profile on a vpcd slot; pcscd then shows it in that reader. Insert and remove act like a hand at the reader.</source>
        <translation>在 vpcd 卡槽上加载卡片或 PSAM 配置文件，pcscd 随即在对应读卡器中显示它。“插入”和“取出”如同手在读卡器前操作。</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="76"/>
        <source>Profile:</source>
        <translation>配置文件：</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="77"/>
        <source>Serve</source>
        <translation>加载</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="78"/>
        <source>Insert</source>
        <translation>插入</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="79"/>
        <source>Remove</source>
        <translation>取出</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="112"/>
        <source>Slot {0} — reader “{1}”</source>
        <translation>卡槽 {0} — 读卡器“{1}”</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="114"/>
        <source>nothing served</source>
        <translation>未加载</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="116"/>
        <source>{0} ({1}) in the reader</source>
        <translation>{0}（{1}）已在读卡器中</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="118"/>
        <source>{0} ({1}) going in…</source>
        <translation>{0}（{1}）正在插入…</translation>
    </message>
    <message>
        <location filename="../bench/views/virtual.py" line="120"/>
        <source>{0} ({1}) removed</source>
        <translation>{0}（{1}）已取出</translation>
    </message>
</context>
<context>
    <name>ApplicantForm</name>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Application no.</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>社会保障号码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Ethnicity</source>
        <translation>民族</translation>
    </message>
    <message>
        <source>Birthplace code</source>
        <translation>出生地代码</translation>
    </message>
    <message>
        <source>Bank</source>
        <translation>银行</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>申领原因</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Rare character… (Ctrl+G)</source>
        <translation>生僻字… (Ctrl+G)</translation>
    </message>
    <message>
        <source>Choose photo…</source>
        <translation>选择照片…</translation>
    </message>
    <message>
        <source>No photo (child under 7)</source>
        <translation>无照片（7周岁以下）</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>First card</source>
        <translation>首次申领</translation>
    </message>
    <message>
        <source>Replacement (lost)</source>
        <translation>补卡（挂失后）</translation>
    </message>
    <message>
        <source>Exchange</source>
        <translation>换卡</translation>
    </message>
    <message>
        <source>Han</source>
        <translation>汉族</translation>
    </message>
    <message>
        <source>Mongol</source>
        <translation>蒙古族</translation>
    </message>
    <message>
        <source>Hui</source>
        <translation>回族</translation>
    </message>
    <message>
        <source>Tibetan</source>
        <translation>藏族</translation>
    </message>
    <message>
        <source>Uyghur</source>
        <translation>维吾尔族</translation>
    </message>
    <message>
        <source>Miao</source>
        <translation>苗族</translation>
    </message>
    <message>
        <source>Zhuang</source>
        <translation>壮族</translation>
    </message>
    <message>
        <source>Manchu</source>
        <translation>满族</translation>
    </message>
    <message>
        <source>Drop a photo here</source>
        <translation>拖入照片</translation>
    </message>
    <message>
        <source>Choose the applicant's photo</source>
        <translation>选择申请人照片</translation>
    </message>
    <message>
        <source>Images (*.jpg *.jpeg *.png *.bmp)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.bmp)</translation>
    </message>
    <message>
        <source>Rare character</source>
        <translation>生僻字</translation>
    </message>
    <message>
        <source>Pinyin of the character (capitals):</source>
        <translation>该字的拼音（大写）：</translation>
    </message>
    <message>
        <source>Glyph image of the character</source>
        <translation>该字的字形图片</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.bmp)</source>
        <translation>图片 (*.png *.jpg *.bmp)</translation>
    </message>
    <message>
        <location filename="../teller/form_view.py"/>
        <source>YYYY-MM-DD</source>
        <translation>年-月-日</translation>
    </message>
</context>
<context>
    <name>DayPanel</name>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>已发卡</translation>
    </message>
    <message>
        <source>Made up</source>
        <translation>补登</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Spoiled</source>
        <translation>废卡</translation>
    </message>
</context>
<context>
    <name>FacePreview</name>
    <message>
        <source>Card face preview</source>
        <translation>卡面预览</translation>
    </message>
</context>
<context>
    <name>FailureDialog</name>
    <message>
        <source>Issuance failed</source>
        <translation>制卡失败</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>发生了什么</translation>
    </message>
    <message>
        <source>Where the card is</source>
        <translation>卡片在哪里</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>如何处理</translation>
    </message>
    <message>
        <source>Retry on a new blank (Enter)</source>
        <translation>换新卡重做 (Enter)</translation>
    </message>
    <message>
        <source>Make-up registration (Enter)</source>
        <translation>制卡补登 (Enter)</translation>
    </message>
    <message>
        <source>Reject: no card now</source>
        <translation>放弃：本次不制卡</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>cause recorded</source>
        <translation>已记录原因</translation>
    </message>
    <message>
        <source>print fault</source>
        <translation>打印故障</translation>
    </message>
    <message>
        <source>lamination</source>
        <translation>覆膜</translation>
    </message>
    <message>
        <source>punching</source>
        <translation>冲切</translation>
    </message>
    <message>
        <source>damaged blank</source>
        <translation>卡基损坏</translation>
    </message>
    <message>
        <source>chip write fault</source>
        <translation>芯片写入失败</translation>
    </message>
    <message>
        <source>wrong blank</source>
        <translation>芯片与库存不符</translation>
    </message>
    <message>
        <source>card jam</source>
        <translation>卡片卡住</translation>
    </message>
    <message>
        <source>power loss</source>
        <translation>断电</translation>
    </message>
    <message>
        <source>cancelled by the operator</source>
        <translation>操作员取消</translation>
    </message>
    <message>
        <source>No card was fed; the blanks are untouched.</source>
        <translation>未进卡，预制卡未动用。</translation>
    </message>
    <message>
        <source>Unknown: the printer does not answer. Nothing is booked until it does.</source>
        <translation>未知：打印机无应答。在其应答前不做任何登记。</translation>
    </message>
    <message>
        <source>Still inside the printer: open it and take the card out.</source>
        <translation>仍在打印机内：请打开打印机取出卡片。</translation>
    </message>
    <message>
        <source>Printed, still inside the printer: leave it there — make-up reads its chip in the printer, then ejects it.</source>
        <translation>已印好，仍在打印机内：请勿取出——制卡补登会在打印机内读取芯片，然后出卡。</translation>
    </message>
    <message>
        <source>Printed and out of the printer: keep the card at the counter.</source>
        <translation>卡面已打印并已出卡：请将卡片留在柜台。</translation>
    </message>
    <message>
        <source>In the reject box; its chip holds no personal data — the blank is booked back to your drawer.</source>
        <translation>在废卡箱中；芯片未写入个人信息——该预制卡已退回您的卡箱。</translation>
    </message>
    <message>
        <source>In the reject box; it is booked spoiled — put it in the spoiled-card tray.</source>
        <translation>在废卡箱中；已登记为废卡——请放入废卡盒。</translation>
    </message>
    <message>
        <source>In the reject box.</source>
        <translation>在废卡箱中。</translation>
    </message>
    <message>
        <source>Make-up registration: the chip is read again and the job finished. The card is never printed twice.</source>
        <translation>制卡补登：重新读取芯片并完成任务，卡面绝不重复打印。</translation>
    </message>
    <message>
        <source>Clear the printer if it says so, then retry on a new blank, or reject to stop.</source>
        <translation>按提示排除打印机故障后换新卡重做，或放弃。</translation>
    </message>
    <message>
        <source>Remove the cause shown above, then press Issue again.</source>
        <translation>排除上述原因后再次点击制卡。</translation>
    </message>
    <message>
        <source>Make-up in the desktop reader (Enter)</source>
        <translation>在桌面读卡器上补登 (Enter)</translation>
    </message>
    <message>
        <source>Printed, jammed inside the printer: clear the jam and take the card out.</source>
        <translation>已打印，卡片在打印机内卡住：请排除故障并取出卡片。</translation>
    </message>
    <message>
        <source>Put the card in the desktop reader %1, then press Enter: make-up registration reads the chip there and finishes the job. The card is never printed twice.</source>
        <translation>请将卡片插入桌面读卡器 %1，然后按 Enter：制卡补登在该读卡器上重读芯片并完成任务。卡片绝不会重复打印。</translation>
    </message>
    <message>
        <source>No desktop reader is set, so the make-up cannot be done here. Set one in Settings (Desktop reader at the counter) and sign in again: the job stays among the unfinished jobs, waiting for make-up — nothing is lost.</source>
        <translation>未设置桌面读卡器，无法在此补登。请在“设置”中填写“柜台桌面读卡器”后重新登录：任务保留在未完成任务中等待补登——不会丢失任何数据。</translation>
    </message>
</context>
<context>
    <name>NoTellerBook</name>
    <message>
        <source>No stock book is open — sign in as a teller with a database.</source>
        <translation>未打开库存账簿——请以柜员身份登录并配置数据库。</translation>
    </message>
</context>
<context>
    <name>ProgressPanel</name>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
</context>
<context>
    <name>ReadinessPanel</name>
    <message>
        <source>Readiness</source>
        <translation>制卡条件</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>制卡机</translation>
    </message>
    <message>
        <source>Ribbon left</source>
        <translation>色带余量</translation>
    </message>
    <message>
        <source>Blanks in drawer</source>
        <translation>卡箱预制卡</translation>
    </message>
    <message>
        <source>Daily count</source>
        <translation>日盘点</translation>
    </message>
    <message>
        <source>Check again (F5)</source>
        <translation>重新检查 (F5)</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>连接中…</translation>
    </message>
    <message>
        <source>not answering</source>
        <translation>无应答</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>not ready</source>
        <translation>未就绪</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>not done</source>
        <translation>未完成</translation>
    </message>
</context>
<context>
    <name>ReceiptPanel</name>
    <message>
        <source>Collection receipt</source>
        <translation>领卡回执</translation>
    </message>
    <message>
        <source>Print receipt and hand over (Ctrl+P)</source>
        <translation>打印回执并交卡 (Ctrl+P)</translation>
    </message>
    <message>
        <source>Save PDF… (Ctrl+Shift+S)</source>
        <translation>保存PDF… (Ctrl+Shift+S)</translation>
    </message>
</context>
<context>
    <name>TellerScreen</name>
    <message>
        <source>Issue card (Ctrl+Enter)</source>
        <translation>制卡 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Save receipt as PDF</source>
        <translation>将回执保存为PDF</translation>
    </message>
</context>
<context>
    <name>UnfinishedPanel</name>
    <message>
        <source>Unfinished jobs</source>
        <translation>未完成的制卡任务</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>申请</translation>
    </message>
    <message>
        <source>Left at</source>
        <translation>停在</translation>
    </message>
    <message>
        <source>Recovery</source>
        <translation>恢复处理</translation>
    </message>
    <message>
        <source>Recover (Ctrl+R)</source>
        <translation>恢复 (Ctrl+R)</translation>
    </message>
    <message>
        <source>Make-up in the desktop reader (Ctrl+M)</source>
        <translation>在桌面读卡器上补登 (Ctrl+M)</translation>
    </message>
    <message>
        <source>Job %1: the printed card is out of the printer. Put it in the desktop reader %2, then press Ctrl+M.</source>
        <translation>任务 %1：已打印的卡片不在打印机内。请将其插入桌面读卡器 %2，然后按 Ctrl+M。</translation>
    </message>
    <message>
        <source>A printed card is out of the printer and no desktop reader is set: set one in Settings (Desktop reader at the counter) and sign in again. The job waits for make-up; nothing is lost.</source>
        <translation>已打印的卡片不在打印机内，且未设置桌面读卡器：请在“设置”中填写“柜台桌面读卡器”后重新登录。任务等待补登，不会丢失任何数据。</translation>
    </message>
</context>
<context>
    <name>StockWords</name>
    <message>
        <source>In the vault</source>
        <translation>在金库</translation>
    </message>
    <message>
        <source>In a drawer</source>
        <translation>在卡箱</translation>
    </message>
    <message>
        <source>Reserved for a job</source>
        <translation>制卡占用</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>已发卡</translation>
    </message>
    <message>
        <source>Spoiled</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>Destroyed</source>
        <translation>已销毁</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>已遗失</translation>
    </message>
    <message>
        <source>Stock-in</source>
        <translation>入库</translation>
    </message>
    <message>
        <source>Allocation</source>
        <translation>调拨</translation>
    </message>
    <message>
        <source>Reservation</source>
        <translation>占用</translation>
    </message>
    <message>
        <source>Release</source>
        <translation>释放</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>发卡</translation>
    </message>
    <message>
        <source>Spoilage</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>Destruction</source>
        <translation>销毁</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>遗失</translation>
    </message>
    <message>
        <source>Vault</source>
        <translation>金库</translation>
    </message>
    <message>
        <source>Teller&apos;s drawer</source>
        <translation>柜员卡箱</translation>
    </message>
    <message>
        <source>Station hopper</source>
        <translation>工作站卡槽</translation>
    </message>
    <message>
        <source>Reject box</source>
        <translation>废卡箱</translation>
    </message>
    <message>
        <source>Teller</source>
        <translation>柜员</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>Auditor</source>
        <translation>审计员</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>技术员</translation>
    </message>
    <message>
        <source>Print fault</source>
        <translation>打印故障</translation>
    </message>
    <message>
        <source>Lamination</source>
        <translation>覆膜</translation>
    </message>
    <message>
        <source>Punching</source>
        <translation>冲切</translation>
    </message>
    <message>
        <source>Damaged blank</source>
        <translation>卡基损坏</translation>
    </message>
    <message>
        <source>Chip write fault</source>
        <translation>芯片写入失败</translation>
    </message>
    <message>
        <source>Wrong blank</source>
        <translation>芯片与库存不符</translation>
    </message>
    <message>
        <source>Card jam</source>
        <translation>卡片卡住</translation>
    </message>
    <message>
        <source>Power loss</source>
        <translation>断电</translation>
    </message>
    <message>
        <source>Cancelled by the operator</source>
        <translation>操作员取消</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Made up</source>
        <translation>已补登</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
</TS>
