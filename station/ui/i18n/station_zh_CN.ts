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
</context>
<context>
    <name>Placeholder</name>
    <message>
        <location filename="../shell.py" line="86"/>
        <source>This screen comes in part 2 of the desktop app.</source>
        <translation>此界面将在桌面程序第二部分提供。</translation>
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
</TS>
