"""Source of the unseen-news date corpus: articles written after the patterns of real Chinese (both scripts)
and English news pages, unlike the four shipped articles, labelled by hand.

Each article: (id, reference date, [(context, expected mentions, non-date numbers)]). An expected mention is
(text, date, precision, approximate); non-date numbers are strings in the context that must not be reported
(they are counted, not scored: any mention reported on them is a false positive anyway).

``python tests/data/corpus_src/unseen_articles.py`` writes the two JSONL files: every third article (ids
ending in a number divisible by 3) is the held-out split, scored only at the end.
"""

ARTICLES = [
    ("a01-xinhua-sora", "2024-02-16", [
        ("新华社旧金山2月15日电 美国开放人工智能研究中心（OpenAI）15日发布文生视频模型Sora，可根据文字生成长达60秒的视频。",
         [("2月15日", "2024-02-15", "day", False), ("15日", "2024-02-15", "day", False)], ["60秒"]),
        ("OpenAI说，Sora目前仅向少数研究人员开放。今年1月，该公司曾推出GPT商店，上周四又为ChatGPT增加了记忆功能。",
         [("今年1月", "2024-01", "month", False), ("上周四", "2024-02-08", "day", False)], []),
        ("分析人士指出，去年11月OpenAI经历管理层动荡，此次发布显示其研发节奏并未放缓。",
         [("去年11月", "2023-11", "month", False)], []),
    ]),
    ("a02-cna-altman-return", "2023-11-22", [
        ("（中央社記者吳家豪台北22日電）OpenAI今天宣布，上週五遭董事會開除的執行長奧特曼（Sam Altman）將回鍋。",
         [("22日", "2023-11-22", "day", False), ("今天", "2023-11-22", "day", False), ("上週五", "2023-11-17", "day", False)], []),
        ("微軟執行長納德拉20日曾表示，奧特曼將加入微軟；OpenAI約770名員工中有逾700人聯署公開信。",
         [("20日", "2023-11-20", "day", False)], ["770名", "700人"]),
        ("OpenAI於2015年12月成立，2019年轉型為「利潤上限」公司。",
         [("2015年12月", "2015-12", "month", False), ("2019年", "2019", "year", False)], []),
    ]),
    ("a03-reuters-q-star", "2023-11-23", [
        ("Nov 22 (Reuters) - Ahead of OpenAI CEO Sam Altman's four days in exile, several staff researchers wrote a letter to the board.",
         [("Nov 22", "2023-11-22", "day", False)], ["four days"]),
        ("Prior to his triumphant return late Tuesday, more than 700 employees had threatened to quit.",
         [("Tuesday", "2023-11-21", "day", False)], ["700 employees"]),
        ("Altman was fired on Friday, a day after he appeared at the APEC summit in San Francisco on Thursday.",
         [("Friday", "2023-11-17", "day", False), ("Thursday", "2023-11-16", "day", False)], []),
    ]),
    ("a04-ithome-o3pro", "2025-06-11", [
        ("IT之家 6 月 11 日消息，OpenAI 今日宣布向 ChatGPT Pro 用户开放 o3-pro 模型，Enterprise 用户将在下周获得访问权限。",
         [("6 月 11 日", "2025-06-11", "day", False), ("今日", "2025-06-11", "day", False)], ["o3-pro"]),
        ("OpenAI 首席执行官奥尔特曼 10 日表示，公司年化收入已突破 100 亿美元；o3 的 API 价格下调 80%。",
         [("10 日", "2025-06-10", "day", False)], ["100 亿美元", "80%"]),
        ("发布时间：2025-06-11 08:05 | 来源：IT之家", [("2025-06-11", "2025-06-11", "day", False)], ["08:05"]),
    ]),
    ("a05-udn-board", "2023-11-18", [
        ("OpenAI董事會17日突然宣布開除執行長奧特曼，技術長穆拉蒂暫代執行長。",
         [("17日", "2023-11-17", "day", False)], []),
        ("奧特曼前天還出席亞太經合會（APEC）執行長峰會，昨天下午3點半才接到通知。",
         [("前天", "2023-11-16", "day", False), ("昨天", "2023-11-17", "day", False)], ["下午3點半"]),
        ("布羅克曼在X上說，他在美國時間週五中午得知消息。",
         [("週五", "2023-11-17", "day", False)], []),
    ]),
    ("a06-techcrunch-devday", "2023-11-06", [
        ("OpenAI on Monday announced GPT-4 Turbo at DevDay, its first developer conference, in San Francisco.",
         [("Monday", "2023-11-06", "day", False)], ["GPT-4"]),
        ("GPT-4 Turbo knows about world events up to April 2023 and has a 128,000-token context window.",
         [("April 2023", "2023-04", "month", False)], ["128,000-token"]),
        ("The company said the GPT Store will open later this month; ChatGPT launched last November.",
         [("later this month", "2023-11", "month", True), ("last November", "2022-11", "month", False)], []),
    ]),
    ("a07-sina-stargate", "2025-01-22", [
        ("新浪科技讯 北京时间1月22日早间消息，美国总统特朗普周二在白宫宣布成立“星际之门”项目。",
         [("1月22日", "2025-01-22", "day", False), ("周二", "2025-01-21", "day", False)], []),
        ("该项目首期投资1000亿美元，未来四年内总投资将达5000亿美元，预计创造超过10万个就业岗位。",
         [], ["1000亿美元", "四年", "5000亿美元", "10万个"]),
        ("特朗普本月20日就职，上任第二天即宣布这一计划。软银曾于去年12月承诺在美投资1000亿美元。",
         [("本月20日", "2025-01-20", "day", False), ("去年12月", "2024-12", "month", False)], ["1000亿美元"]),
    ]),
    ("a08-verge-gpt5", "2025-08-08", [
        ("OpenAI released GPT-5 on Thursday, making it the default model for all ChatGPT users.",
         [("Thursday", "2025-08-07", "day", False)], ["GPT-5"]),
        ("Sam Altman briefed reporters on Tuesday. The company launched GPT-4o in May 2024 and o3 in April.",
         [("Tuesday", "2025-08-05", "day", False), ("May 2024", "2024-05", "month", False), ("April", "2025-04", "month", False)], ["GPT-4o"]),
        ("ChatGPT now has nearly 700 million weekly users, up from 500 million at the end of March.",
         [("end of March", "2025-03", "month", True)], ["700 million", "500 million"]),
    ]),
    ("a09-36kr-funding", "2025-04-01", [
        ("据路透社报道，OpenAI于当地时间3月31日宣布完成400亿美元融资，投后估值3000亿美元。",
         [("3月31日", "2025-03-31", "day", False)], ["400亿美元", "3000亿美元"]),
        ("根据协议，软银将先投资100亿美元，剩余300亿美元将在今年年底前到位。",
         [("今年年底", "2025", "year", True)], ["100亿美元", "300亿美元"]),
        ("上月底，OpenAI还发布了GPT-4o图像生成功能，一周内吸引超过1亿用户。",
         [("上月底", "2025-03", "month", True)], ["1亿"]),
    ]),
    ("a10-hk01-fired", "2023-11-18", [
        ("人工智能初創公司OpenAI周五（17日）突然宣佈，行政總裁奧特曼即時離職。",
         [("周五", "2023-11-17", "day", False), ("17日", "2023-11-17", "day", False)], []),
        ("奧特曼本月6日才在首屆開發者大會上發佈GPT-4 Turbo，本周四還在亞太經合組織峰會上發言。",
         [("本月6日", "2023-11-06", "day", False), ("本周四", "2023-11-16", "day", False)], ["GPT-4"]),
        ("OpenAI在2022年11月30日推出ChatGPT，兩個月內用戶突破1億。",
         [("2022年11月30日", "2022-11-30", "day", False)], ["兩個月", "1億"]),
    ]),
    ("a11-wechat-qbit-o1", "2024-09-13", [
        ("就在今天凌晨，OpenAI毫无预兆地发布了o1系列模型，此前代号“草莓”。",
         [("今天", "2024-09-13", "day", False)], []),
        ("奥特曼上个月曾在X上发了一张草莓照片，引发猜测。据悉，o1-preview在国际数学奥林匹克资格考试中正确率达83%。",
         [("上个月", "2024-08", "month", False)], ["83%"]),
        ("OpenAI称，o1-mini比o1-preview便宜80%，下周起向免费用户开放。",
         [], ["80%"]),
    ]),
    ("a12-ltn-hearing", "2023-05-17", [
        ("OpenAI執行長奧特曼16日首度出席美國參議院司法委員會聽證會，呼籲政府監管AI。",
         [("16日", "2023-05-16", "day", False)], []),
        ("這場聽證會持續近3個小時，距ChatGPT去年11月推出不到半年。",
         [("去年11月", "2022-11", "month", False)], ["近3個小時", "半年"]),
        ("參議院預計下週二再舉行一場有關AI版權的聽證會。",
         [("下週二", "2023-05-23", "day", False)], []),
    ]),
    ("a13-ft-microsoft-deal", "2024-10-04", [
        ("OpenAI closed a $6.6bn funding round on Wednesday, valuing the company at $157bn.",
         [("Wednesday", "2024-10-02", "day", False)], ["$6.6bn", "$157bn"]),
        ("The round was led by Thrive Capital. Microsoft, which first invested in 2019, also took part.",
         [("2019", "2019", "year", False)], []),
        ("Chief technology officer Mira Murati left the company last week, weeks after co-founder John Schulman departed in August.",
         [("August", "2024-08", "month", False)], []),
    ]),
    ("a14-people-daily-deepseek", "2025-01-31", [
        ("本报北京1月31日电 中国人工智能公司深度求索本月20日发布推理模型DeepSeek-R1，引发全球关注。",
         [("1月31日", "2025-01-31", "day", False), ("本月20日", "2025-01-20", "day", False)], ["DeepSeek-R1"]),
        ("受此影响，美国芯片股27日大幅下跌，英伟达单日市值蒸发近6000亿美元。",
         [("27日", "2025-01-27", "day", False)], ["6000亿美元"]),
        ("OpenAI于昨日推出o3-mini模型作为回应，并向免费用户开放。",
         [("昨日", "2025-01-30", "day", False)], ["o3-mini"]),
    ]),
    ("a15-yahoo-tw-voice", "2024-05-14", [
        ("OpenAI美國時間13日舉行春季發表會，推出新模型GPT-4o，語音回應時間最快232毫秒。",
         [("13日", "2024-05-13", "day", False)], ["232毫秒"]),
        ("Google將於台灣時間15日凌晨舉行年度開發者大會I/O，外界預期將推出對應產品。",
         [("15日", "2024-05-15", "day", False)], []),
        ("OpenAI在二〇二三年三月推出GPT-4，相隔一年兩個月再推旗艦模型。",
         [("二〇二三年三月", "2023-03", "month", False)], ["一年兩個月"]),
    ]),
    ("a16-guardian-board", "2023-11-30", [
        ("Sam Altman formally returned as chief executive of OpenAI on Wednesday, almost two weeks after he was fired.",
         [("Wednesday", "2023-11-29", "day", False)], ["two weeks"]),
        ("Microsoft will take a non-voting observer seat on the new board, Altman said in a memo dated 29 November.",
         [("29 November", "2023-11-29", "day", False)], []),
        ("The board that removed him on 17 November said he had not been consistently candid.",
         [("17 November", "2023-11-17", "day", False)], []),
    ]),
    ("a17-caixin-revenue", "2024-07-19", [
        ("据The Information报道，OpenAI今年可能亏损高达50亿美元，训练和推理成本合计约70亿美元。",
         [("今年", "2024", "year", False)], ["50亿美元", "70亿美元"]),
        ("OpenAI周四推出GPT-4o mini，价格比GPT-3.5 Turbo便宜60%以上。",
         [("周四", "2024-07-18", "day", False)], ["GPT-3.5", "60%"]),
        ("今年6月，OpenAI年化收入约34亿美元，较去年底的16亿美元翻了一倍。",
         [("今年6月", "2024-06", "month", False), ("去年底", "2023", "year", True)], ["34亿美元", "16亿美元"]),
    ]),
    ("a18-bloomberg-restructure", "2025-05-06", [
        ("OpenAI said on Monday that its nonprofit will keep control of the company, reversing a plan announced in December.",
         [("Monday", "2025-05-05", "day", False), ("December", "2024-12", "month", False)], []),
        ("The for-profit arm will become a public benefit corporation. SoftBank's $30 billion commitment depends on the change being done by the end of 2025.",
         [("the end of 2025", "2025", "year", True)], ["$30 billion"]),
        ("Elon Musk, who sued OpenAI in March 2024, called the move a sham. A jury trial is set for spring 2026.",
         [("March 2024", "2024-03", "month", False), ("spring 2026", "2026", "year", True)], []),
    ]),
    ("a19-cnbeta-ban", "2024-06-25", [
        ("多位开发者今天收到OpenAI邮件，称将于7月9日起阻止来自不支持国家和地区的API流量。",
         [("今天", "2024-06-25", "day", False), ("7月9日", "2024-07-09", "day", False)], []),
        ("发布日期：2024/6/25 10:18:26 阅读次数：2451", [("2024/6/25", "2024-06-25", "day", False)], ["10:18:26", "2451"]),
        ("OpenAI上周曾表示，正在采取措施封锁恶意使用者；今年5月，该公司披露其模型被用于影响力行动。",
         [("今年5月", "2024-05", "month", False)], []),
    ]),
    ("a20-mingpao-musk", "2024-03-02", [
        ("特斯拉行政總裁馬斯克周四（2月29日）入稟加州法院控告OpenAI及奧特曼違反創辦協議。",
         [("周四", "2024-02-29", "day", False), ("2月29日", "2024-02-29", "day", False)], []),
        ("馬斯克是OpenAI聯合創辦人之一，於2018年離開董事會，其間捐款約4400萬美元。",
         [("2018年", "2018", "year", False)], ["4400萬美元"]),
        ("OpenAI昨日回應稱，將駁回所有指控。",
         [("昨日", "2024-03-01", "day", False)], []),
    ]),
    ("a21-ap-sora-launch", "2024-12-10", [
        ("OpenAI made its video generator Sora available to paying ChatGPT users on Monday, ten months after first showing it off.",
         [("Monday", "2024-12-09", "day", False)], ["ten months"]),
        ("The company first previewed Sora in February and has held a series of daily announcements since last Thursday.",
         [("February", "2024-02", "month", False), ("last Thursday", "2024-12-05", "day", False)], []),
        ("Users can generate clips of up to 20 seconds at 1080p resolution.",
         [], ["20 seconds", "1080p"]),
    ]),
    ("a22-ifeng-gpt45", "2025-02-28", [
        ("北京时间2月28日凌晨，OpenAI发布GPT-4.5，奥特曼称其为“最大、最好的聊天模型”。",
         [("2月28日", "2025-02-28", "day", False)], ["GPT-4.5"]),
        ("GPT-4.5首先向每月200美元的Pro用户开放，Plus用户预计下周可用。",
         [], ["200美元"]),
        ("本月初，OpenAI还推出了深度研究（Deep Research）功能；二〇二五年一月底，其推出了智能体Operator。",
         [("本月初", "2025-02", "month", True), ("二〇二五年一月底", "2025-01", "month", True)], []),
    ]),
    ("a23-storm-media-jony", "2025-05-22", [
        ("OpenAI週三（21日）宣布以約65億美元收購前蘋果設計長艾維（Jony Ive）創立的硬體新創io。",
         [("週三", "2025-05-21", "day", False), ("21日", "2025-05-21", "day", False)], ["65億美元"]),
        ("艾維於2019年離開蘋果，與奧特曼合作已近兩年。",
         [("2019年", "2019", "year", False)], ["近兩年"]),
        ("雙方預計明年推出首款裝置，出貨量目標1億台。",
         [("明年", "2026", "year", False)], ["1億台"]),
    ]),
    ("a24-wsj-chips", "2023-10-06", [
        ("OpenAI is exploring making its own AI chips, according to people familiar with the matter, as of last month.",
         [("last month", "2023-09", "month", False)], []),
        ("Since at least last year, the company has discussed options including acquiring a chip company.",
         [("last year", "2022", "year", False)], []),
        ("Nvidia's H100 chips, released in 2022, sell for around $30,000 each.",
         [("2022", "2022", "year", False)], ["H100", "$30,000"]),
    ]),
    ("a25-thepaper-council", "2025-10-07", [
        ("澎湃新闻记者 张三 2025-10-07 09:41 来源：澎湃新闻", [("2025-10-07", "2025-10-07", "day", False)], ["09:41"]),
        ("美国当地时间10月6日，OpenAI在旧金山举行第三届开发者大会，宣布ChatGPT周活跃用户达8亿。",
         [("10月6日", "2025-10-06", "day", False)], ["第三届", "8亿"]),
        ("OpenAI前天还与AMD签署协议，将部署6吉瓦的GPU算力；上周五，其刚刚完成6.6亿美元的员工股票出售。",
         [("前天", "2025-10-05", "day", False), ("上周五", "2025-10-03", "day", False)], ["6吉瓦", "6.6亿美元"]),
    ]),
    ("a26-rthk-zhipu", "2025-06-27", [
        ("OpenAI在網誌點名中國人工智能公司智譜，稱其在多國政府項目取得進展。",
         [], []),
        ("智譜今年３月獲得珠海國資等３億元人民幣投資，於２０２４年初推出GLM-4模型。",
         [("今年３月", "2025-03", "month", False), ("２０２４年初", "2024", "year", True)], ["３億元", "GLM-4"]),
        ("美國商務部今年1月已將智譜列入實體清單。",
         [("今年1月", "2025-01", "month", False)], []),
    ]),
    ("a27-nyt-lawsuit", "2023-12-28", [
        ("The New York Times sued OpenAI and Microsoft on Wednesday, accusing them of using millions of its articles to train chatbots.",
         [("Wednesday", "2023-12-27", "day", False)], ["millions"]),
        ("The Times approached the companies in April to raise concerns, the complaint says, but talks failed.",
         [("April", "2023-04", "month", False)], []),
        ("The suit, filed in Federal District Court in Manhattan, seeks billions of dollars in damages. OpenAI was founded in 2015.",
         [("2015", "2015", "year", False)], ["billions"]),
    ]),
    ("a28-jiemian-agent", "2026-02-18", [
        ("界面新闻 2026-02-18 10:18 编辑：王五", [("2026-02-18", "2026-02-18", "day", False)], ["10:18"]),
        ("OpenAI昨天宣布，其智能体产品将在本周五向企业用户开放，春节假期期间（2月15日至23日）用户增长了35%。",
         [("昨天", "2026-02-17", "day", False), ("本周五", "2026-02-20", "day", False),
          ("2月15日", "2026-02-15", "day", False), ("23日", "2026-02-23", "day", False)], ["35%"]),
        ("二〇二五年十月，OpenAI曾在开发者大会上首次演示该产品；上月底，其企业客户数突破500万。",
         [("二〇二五年十月", "2025-10", "month", False), ("上月底", "2026-01", "month", True)], ["500万"]),
    ]),
    ("a29-appledaily-style-tw", "2025-04-13", [
        ("更新時間：2025/4/13 15:18:26", [("2025/4/13", "2025-04-13", "day", False)], ["15:18:26"]),
        ("OpenAI星期五（11日）宣布，ChatGPT記憶功能升級，可參考用戶過去所有對話。",
         [("星期五", "2025-04-11", "day", False), ("11日", "2025-04-11", "day", False)], []),
        ("該公司本月初才完成融資，並計劃於十一月十七日前推出新版語音模式，費用每月20美元。",
         [("本月初", "2025-04", "month", True), ("十一月十七日", "2025-11-17", "day", False)], ["20美元"]),
    ]),
    ("a30-axios-gpt-store", "2024-01-11", [
        ("OpenAI launched its GPT Store on Wednesday, two months after announcing it at DevDay.",
         [("Wednesday", "2024-01-10", "day", False)], ["two months"]),
        ("The store had been delayed from December. Users have created more than 3 million custom GPTs since November 6, 2023.",
         [("December", "2023-12", "month", False), ("November 6, 2023", "2023-11-06", "day", False)], ["3 million"]),
        ("Earlier this month, OpenAI said it would pay creators based on usage starting in the first quarter.",
         [("Earlier this month", "2024-01", "month", True)], []),
    ]),
    ("a31-zaobao-ceo", "2024-11-27", [
        ("（旧金山综合电）OpenAI上周五证实，前天遭泄露的Sora测试版已被暂停访问。",
         [("上周五", "2024-11-22", "day", False), ("前天", "2024-11-25", "day", False)], []),
        ("一群艺术家周二在网上公开了Sora的访问接口，抗议OpenAI利用他们进行无偿测试，约300名用户在3小时内生成了视频。",
         [("周二", "2024-11-26", "day", False)], ["300名", "3小时"]),
        ("OpenAI今年2月首次展示Sora，尚未公布正式上线日期。",
         [("今年2月", "2024-02", "month", False)], []),
    ]),
    ("a32-cnn-altman-senate", "2025-05-09", [
        ("OpenAI CEO Sam Altman told senators on Thursday that the US lead in AI is not huge.",
         [("Thursday", "2025-05-08", "day", False)], []),
        ("It was his first appearance before Congress since May 2023. Next January, the company plans to open a data center in Abilene.",
         [("May 2023", "2023-05", "month", False), ("Next January", "2026-01", "month", False)], []),
        ("Altman testified for about three hours; the hearing ran until 1:30 p.m. ET.",
         [], ["three hours", "1:30 p.m."]),
    ]),
    # Round two (written after the first held-out split had been scored): development articles for the
    # classes that split showed weak (tense markers a few words before the date, seasons, a weekday equal to
    # the publication day or ordered by "after"/"before"), plus the neighbours of those classes.
    ("a33-thepaper-cto", "2024-09-27", [
        ("澎湃新闻记者 9月27日 OpenAI首席技术官穆拉蒂周三宣布离职，公司随后确认，首席研究官麦格鲁与研究副总裁佐夫也将离开。",
         [("9月27日", "2024-09-27", "day", False), ("周三", "2024-09-25", "day", False)], []),
        ("OpenAI计划于下周二在旧金山举行开发者日活动，今年的活动将改为在旧金山、伦敦和新加坡分三站举行。",
         [("下周二", "2024-10-01", "day", False), ("今年", "2024", "year", False)], ["三站"]),
        ("据悉，OpenAI将于北京时间10月2日凌晨发布实时语音API，而新一轮66亿美元融资预计将在本周内完成。",
         [("10月2日", "2024-10-02", "day", False)], ["66亿美元"]),
        ("今年夏天，OpenAI推出了SearchGPT原型；2023年秋季，它曾因董事会风波一度陷入停摆。",
         [("今年夏天", "2024", "year", True), ("2023年秋季", "2023", "year", True)], []),
    ]),
    ("a34-udn-sora-launch", "2024-12-10", [
        ("（聯合新聞網／綜合報導）OpenAI於美國時間9日正式推出影片生成模型Sora，台灣用戶目前仍無法使用。",
         [("9日", "2024-12-09", "day", False)], []),
        ("OpenAI表示，為期12天的發表活動將在台灣時間每天凌晨2點登場，預計於本月20日結束。",
         [("本月20日", "2024-12-20", "day", False)], ["12天", "凌晨2點"]),
        ("Sora最早於今年2月亮相，去年冬天OpenAI內部即已開始測試。",
         [("今年2月", "2024-02", "month", False), ("去年冬天", "2023", "year", True)], []),
        ("執行長奧特曼週一在X上說，Sora的需求遠超預期，將暫停新帳號註冊。",
         [("週一", "2024-12-09", "day", False)], []),
    ]),
    ("a35-axios-musk-bid", "2025-02-20", [
        ("OpenAI said on Thursday that ChatGPT now has 400 million weekly users, up from 300 million in December.",
         [("Thursday", "2025-02-20", "day", False), ("December", "2024-12", "month", False)],
         ["400 million", "300 million"]),
        ("The board rejected the bid on Friday, four days after Musk's group submitted it on Monday.",
         [("Friday", "2025-02-14", "day", False), ("Monday", "2025-02-10", "day", False)], ["four days"]),
        ("A trial in Musk's lawsuit is scheduled for spring 2026, and OpenAI expects to finish its restructuring later this year.",
         [("spring 2026", "2026", "year", True), ("later this year", "2025", "year", True)], []),
        ("Altman will testify before the Senate commerce committee on May 8, the committee said.",
         [("May 8", "2025-05-08", "day", False)], []),
    ]),
    ("a36-hk01-amd", "2025-10-07", [
        ("【香港01】OpenAI與AMD周一（6日）宣布達成晶片供應協議，OpenAI將於明年下半年開始部署首批1吉瓦的MI450晶片。",
         [("周一", "2025-10-06", "day", False), ("6日", "2025-10-06", "day", False), ("明年下半年", "2026", "year", True)],
         ["1吉瓦", "MI450"]),
        ("消息公布後，AMD股價周一急升24%，創2002年以來最大單日升幅。",
         [("周一", "2025-10-06", "day", False), ("2002年", "2002", "year", False)], ["24%"]),
        ("OpenAI上月底才與輝達簽署意向書，輝達將投資最多1000億美元。",
         [("上月底", "2025-09", "month", True)], ["1000億美元"]),
        ("分析師預期，首批晶片預計於2026年第三季出貨。",
         [("2026年", "2026", "year", False)], []),
    ]),
    ("a37-sohu-gpt5", "2025-08-08", [
        ("北京时间8月8日凌晨1点，OpenAI举行直播发布会，正式推出GPT-5。",
         [("8月8日", "2025-08-08", "day", False)], ["凌晨1点", "GPT-5"]),
        ("奥特曼在周四的直播中表示，GPT-5将在今天向所有免费用户开放，企业版用户将于下周获得访问权限。",
         [("周四", "2025-08-07", "day", False), ("今天", "2025-08-08", "day", False)], []),
        ("早在今年2月，奥特曼就曾透露GPT-5将于“几个月内”推出；去年秋天，OpenAI发布了推理模型o1。",
         [("今年2月", "2025-02", "month", False), ("去年秋天", "2024", "year", True)], ["o1"]),
        ("据悉，OpenAI计划在下月的开发者活动上公布更多细节，届时将公布API价格。",
         [("下月", "2025-09", "month", False)], []),
    ]),
    ("a38-ltn-stargate-sites", "2025-09-24", [
        ("〔記者林佳蓉／綜合報導〕OpenAI、甲骨文與軟銀週二宣布，將在美國新建5座「星際之門」資料中心。",
         [("週二", "2025-09-23", "day", False)], ["5座"]),
        ("德州阿比林的首座資料中心已於今年6月啟用，其餘據點預計將於明年陸續動工。",
         [("今年6月", "2025-06", "month", False), ("明年", "2026", "year", False)], []),
        ("OpenAI執行長奧特曼預計將於台灣時間25日凌晨出席活動，並於本週五前往歐洲。",
         [("25日", "2025-09-25", "day", False), ("本週五", "2025-09-26", "day", False)], []),
        ("去年第四季，OpenAI營收約為20億美元。",
         [("去年", "2024", "year", False)], ["20億美元"]),
    ]),
    ("a39-cnbc-recap", "2025-10-29", [
        ("OpenAI completed its recapitalization on Tuesday, giving the nonprofit a stake worth about $130 billion.",
         [("Tuesday", "2025-10-28", "day", False)], ["$130 billion"]),
        ("Microsoft will report earnings on Wednesday, and analysts expect an update on its OpenAI stake.",
         [("Wednesday", "2025-10-29", "day", False)], []),
        ("Altman said the company could file for an IPO as soon as late 2026 or early 2027.",
         [("late 2026", "2026", "year", True), ("early 2027", "2027", "year", True)], []),
        ("The company was valued at $500 billion in a share sale earlier this month, up from $300 billion last spring.",
         [("earlier this month", "2025-10", "month", True), ("last spring", "2025", "year", True)],
         ["$500 billion", "$300 billion"]),
    ]),
    ("a40-ft-chip", "2025-01-13", [
        ("OpenAI plans to finalise the design of its first in-house chip in the next few months and send it for fabrication at TSMC, people familiar with the matter said on Monday.",
         [("Monday", "2025-01-13", "day", False)], []),
        ("The chip is expected to enter mass production by summer 2026.",
         [("summer 2026", "2026", "year", True)], []),
        ("Broadcom's shares rose 24 per cent on Friday after it reported results on Thursday.",
         [("Friday", "2025-01-10", "day", False), ("Thursday", "2025-01-09", "day", False)], ["24 per cent"]),
        ("The company will brief investors on February 3, a week before a developer event in London.",
         [("February 3", "2025-02-03", "day", False)], ["a week"]),
    ]),
    ("a41-ithome-o3", "2024-12-21", [
        ("IT之家 12 月 21 日消息，OpenAI 于当地时间周五公布了 o3 推理模型，这是“OpenAI 12 天”活动的最后一场发布。",
         [("12 月 21 日", "2024-12-21", "day", False), ("周五", "2024-12-20", "day", False)], ["12 天"]),
        ("OpenAI 表示，o3-mini 预计将于 1 月底推出，完整版 o3 将在此后不久上线。",
         [("1 月底", "2025-01", "month", True)], ["o3-mini"]),
        ("今年春季，OpenAI 曾发布 GPT-4o；去年 12 月，Gemini 首次亮相。",
         [("今年春季", "2024", "year", True), ("去年 12 月", "2023-12", "month", False)], ["GPT-4o"]),
    ]),
    ("a42-ctee-tsmc", "2025-01-17", [
        ("台積電16日召開法說會，董事長魏哲家表示，今年AI加速器營收將倍增。",
         [("16日", "2025-01-16", "day", False), ("今年", "2025", "year", False)], []),
        ("魏哲家透露，美國亞利桑那廠第二座晶圓廠將於2028年量產，先進封裝產能預計明年底再擴充一倍。",
         [("2028年", "2028", "year", False), ("明年底", "2026", "year", True)], []),
        ("OpenAI執行長奧特曼上週四在社群平台表示，將於今年第一季推出o3-mini。",
         [("上週四", "2025-01-09", "day", False), ("今年", "2025", "year", False)], ["o3-mini"]),
    ]),
    ("a43-ap-altman-back", "2023-11-22", [
        ("SAN FRANCISCO (AP) — OpenAI said late Tuesday that Sam Altman will return as CEO, days after the board fired him Friday.",
         [("Tuesday", "2023-11-21", "day", False), ("Friday", "2023-11-17", "day", False)], []),
        ("Microsoft CEO Satya Nadella had said Monday that Altman would join Microsoft, and nearly all of OpenAI's 770 employees threatened to quit.",
         [("Monday", "2023-11-20", "day", False)], ["770 employees"]),
        ("Altman co-founded OpenAI in 2015 and turned ChatGPT into a sensation late last year.",
         [("2015", "2015", "year", False), ("late last year", "2022", "year", True)], []),
        ("Black Friday shoppers this week will find few AI gadgets, analysts said.",
         [], ["Black Friday"]),
    ]),
    ("a44-ltn-tsmc-podcast", "2024-09-26", [
        ("〔記者洪友芳／新竹報導〕外媒昨（25）日報導，OpenAI執行長奧特曼今年稍早曾赴台與台積電洽談合作。",
         [("昨（25）日", "2024-09-25", "day", False), ("今年稍早", "2024", "year", True)], []),
        ("台積電今（26）日回應，不評論市場傳聞；公司將於10月17日召開法說會。",
         [("今（26）日", "2024-09-26", "day", False), ("10月17日", "2024-10-17", "day", False)], []),
        ("據報導，奧特曼曾提議興建36座晶圓廠，台積電高層私下稱他為「播客兄弟」。",
         [], ["36座"]),
        ("台積電股價今晨開盤上漲1.5%，收在1005元。",
         [("今晨", "2024-09-26", "day", False)], ["1.5%", "1005元"]),
    ]),
    ("a45-36kr-o1", "2024-09-13", [
        ("36氪获悉，OpenAI于北京时间今晨发布了全新推理模型o1，此前代号为“草莓”。",
         [("今晨", "2024-09-13", "day", False)], ["o1"]),
        ("奥特曼昨晚在X上发文称，o1-preview已向Plus用户开放，每周限额30条消息。",
         [("昨晚", "2024-09-12", "day", False)], ["30条"]),
        ("据The Information报道，OpenAI本月早些时候正以1500亿美元估值洽谈65亿美元融资。",
         [("本月早些时候", "2024-09", "month", True)], ["1500亿美元", "65亿美元"]),
        ("OpenAI计划于今年秋季推出o1正式版，并在明天向企业客户开放API。",
         [("今年秋季", "2024", "year", True), ("明天", "2024-09-14", "day", False)], []),
    ]),
    ("a46-reuters-round", "2024-10-03", [
        ("OpenAI said on Wednesday it raised $6.6 billion at a $157 billion valuation, in one of the largest private funding rounds ever.",
         [("Wednesday", "2024-10-02", "day", False)], ["$6.6 billion", "$157 billion"]),
        ("The company expects about $3.7 billion in revenue this year and $11.6 billion next year, a source said Thursday.",
         [("this year", "2024", "year", False), ("next year", "2025", "year", False), ("Thursday", "2024-10-03", "day", False)],
         ["$3.7 billion", "$11.6 billion"]),
        ("Investors can claw back their money if the conversion is not completed within two years; OpenAI lost about $5 billion in the first half of 2024.",
         [("the first half of 2024", "2024", "year", True)], ["two years", "$5 billion"]),
        ("Thrive Capital, which led the round, invested $1.2 billion and can put in another $1 billion through 2025.",
         [("2025", "2025", "year", False)], ["$1.2 billion", "$1 billion"]),
    ]),
    ("a47-bbc-zh-chips", "2025-06-12", [
        ("（BBC中文）OpenAI週二（10日）表示，已與谷歌雲達成算力協議，並計劃於年底前把ChatGPT的算力擴大一倍。",
         [("週二", "2025-06-10", "day", False), ("10日", "2025-06-10", "day", False), ("年底", "2025", "year", True)], []),
        ("該公司2025年6月9日-10日在舊金山舉辦開發者活動，執行長奧特曼在活動上說，o3-pro將於本週稍晚上線。",
         [("2025年6月9日", "2025-06-09", "day", False), ("10日", "2025-06-10", "day", False)], ["o3-pro"]),
        ("OpenAI reportedly expects revenue of $12.7 billion this year and aims to turn cash-flow positive by the end of next year.",
         [("this year", "2025", "year", False), ("the end of next year", "2026", "year", True)], ["$12.7 billion"]),
        ("奧特曼昨晚發文稱，ChatGPT每次查詢平均耗電0.34瓦時，約為烤箱運轉一秒多的用電量。",
         [("昨晚", "2025-06-11", "day", False)], ["0.34瓦時", "一秒"]),
    ]),
    ("a48-wsj-cn-musk-trial", "2025-03-14", [
        ("（華爾街日報中文網）美國聯邦法官上星期五駁回了馬斯克要求暫停OpenAI轉型的禁制令申請，但同意在今年秋季加快審理。",
         [("上星期五", "2025-03-07", "day", False), ("今年秋季", "2025", "year", True)], []),
        ("法官十三日下午另發命令，要求雙方於4月30日前提交補充文件；OpenAI預計將在下月初回應。",
         [("十三日", "2025-03-13", "day", False), ("4月30日", "2025-04-30", "day", False), ("下月初", "2025-04", "month", True)], []),
        ("Musk's lawyers said on Tuesday last week that they would appeal, and the case is scheduled for trial in the spring of 2026.",
         [("Tuesday last week", "2025-03-04", "day", False), ("the spring of 2026", "2026", "year", True)], []),
        ("OpenAI, which Musk helped found in 2015 with a $45 million donation, was valued at $300 billion this month.",
         [("2015", "2015", "year", False), ("this month", "2025-03", "month", False)], ["$45 million", "$300 billion"]),
    ]),
    ("a49-jiqizhixin-o3", "2025-04-17", [
        ("机器之心报道 编辑：张倩 北京时间4月17日凌晨，OpenAI正式发布o3和o4-mini，距离o1发布仅过去7个月。",
         [("4月17日", "2025-04-17", "day", False)], ["7个月", "o4-mini"]),
        ("就在两天前，OpenAI刚刚推出了GPT-4.1系列；上个月，该公司还完成了400亿美元融资。",
         [("两天前", "2025-04-15", "day", False), ("上个月", "2025-03", "month", False)], ["GPT-4.1", "400亿美元"]),
        ("奥特曼在周三晚间的直播中透露，o3-pro将在几周内推出，GPT-5则有望于今年夏天发布。",
         [("周三", "2025-04-16", "day", False), ("今年夏天", "2025", "year", True)], ["o3-pro"]),
        ("据统计，截至3月底，ChatGPT周活跃用户已超5亿，较2024年12月的3亿增长超过60%。",
         [("3月底", "2025-03", "month", True), ("2024年12月", "2024-12", "month", False)], ["5亿", "3亿", "60%"]),
    ]),
    ("a50-mingpao-gpt4o", "2024-05-15", [
        ("【明報專訊】OpenAI前日（13日）發布新模型GPT-4o，可即時以語音對話，反應時間最快僅232毫秒。",
         [("前日", "2024-05-13", "day", False), ("13日", "2024-05-13", "day", False)], ["232毫秒"]),
        ("Google昨日舉行年度開發者大會，Gemini 1.5 Pro的上下文長度擴展至200萬個token。",
         [("昨日", "2024-05-14", "day", False)], ["1.5", "200萬個"]),
        ("OpenAI首席科學家蘇茨克維今日凌晨宣布離職，他去年11月曾參與罷免奧特曼。",
         [("今日", "2024-05-15", "day", False), ("去年11月", "2023-11", "month", False)], []),
        ("新模型將於未來數周向付費用戶推出，語音功能預計6月底開放測試。",
         [("6月底", "2024-06", "month", True)], []),
    ]),
    ("a51-bloomberg-deepseek", "2025-01-29", [
        ("Microsoft Corp. said Wednesday that revenue from its AI business will surpass $13 billion in the fiscal second quarter, which ended Dec. 31.",
         [("Wednesday", "2025-01-29", "day", False), ("Dec. 31", "2024-12-31", "day", False)], ["$13 billion"]),
        ("Shares of Nvidia fell 17% Monday, erasing almost $600 billion in market value, the biggest one-day loss in US history.",
         [("Monday", "2025-01-27", "day", False)], ["17%", "$600 billion"]),
        ("OpenAI said late Tuesday it is reviewing indications that DeepSeek may have inappropriately distilled its models, and it plans to release o3-mini this week.",
         [("Tuesday", "2025-01-28", "day", False)], ["o3-mini"]),
    ]),
    ("a52-ettoday-ghibli", "2025-03-27", [
        ("記者吳立言／綜合報導 OpenAI於台灣時間26日凌晨在ChatGPT中推出GPT-4o原生圖像生成功能，吉卜力風格圖片隨即在社群洗版。",
         [("26日", "2025-03-26", "day", False)], ["GPT-4o"]),
        ("執行長奧特曼週四表示，由於需求太大，「我們的GPU正在融化」，免費用戶每天只能生成3張圖。",
         [("週四", "2025-03-27", "day", False)], ["3張"]),
        ("OpenAI去年5月首度展示這項功能，原訂今年初上線，最終延後約兩個月。",
         [("去年5月", "2024-05", "month", False), ("今年初", "2025", "year", True)], ["兩個月"]),
        ("據統計，推出後一小時內新增100萬名用戶，創下2022年11月ChatGPT上線以來紀錄。",
         [("2022年11月", "2022-11", "month", False)], ["一小時", "100萬名"]),
    ]),
    ("a53-cnbc-gpt45", "2025-02-27", [
        ("OpenAI on Thursday released GPT-4.5, its largest model yet, to ChatGPT Pro subscribers.",
         [("Thursday", "2025-02-27", "day", False)], ["GPT-4.5"]),
        ("Plus and Team users will get access next week, and the model will come to Enterprise and Edu customers the week after.",
         [], []),
        ("The launch comes after OpenAI introduced Deep Research on Feb. 2 and o3-mini on Jan. 31.",
         [("Feb. 2", "2025-02-02", "day", False), ("Jan. 31", "2025-01-31", "day", False)], ["o3-mini"]),
        ("The company was valued at $157 billion in October and is in talks to raise up to $40 billion.",
         [("October", "2024-10", "month", False)], ["$157 billion", "$40 billion"]),
    ]),
    ("a54-163-wwdc", "2024-06-06", [
        ("网易科技6月6日报道 苹果10日将在库比蒂诺举行WWDC开发者大会，外界普遍预期其将宣布与OpenAI的合作。",
         [("6月6日", "2024-06-06", "day", False), ("10日", "2024-06-10", "day", False)], []),
        ("据彭博社记者古尔曼爆料，双方已于上月底签署协议，ChatGPT将集成进iOS 18，相关功能预计今年秋季随新iPhone推出。",
         [("上月底", "2024-05", "month", True), ("今年秋季", "2024", "year", True)], ["iOS 18"]),
        ("OpenAI周四将公布新一轮安全研究成果；马斯克则在社交平台X上表示，若苹果在操作系统层面集成OpenAI，他将在公司内禁用苹果设备。",
         [("周四", "2024-06-06", "day", False)], []),
        ("苹果股价周三收于194.48美元，今年以来累计上涨约1%。",
         [("周三", "2024-06-05", "day", False), ("今年", "2024", "year", False)], ["194.48美元", "1%"]),
    ]),
]


def records(articles):
    for article_id, ref, contexts in articles:
        for number, (context, expected, non_dates) in enumerate(contexts, start=1):
            cursor = 0
            for text, *_ in expected:
                position = context.find(text, cursor)
                assert position >= 0, (article_id, text)
                cursor = position + len(text)
            for text in non_dates:
                assert text in context, (article_id, text)
            yield {
                "article": article_id,
                "context": context,
                "ref": ref,
                "expected": [
                    {"text": t, "date": d, "precision": p, "approximate": a} for t, d, p, a in expected
                ],
                "non_dates": list(non_dates),
                "note": f"{article_id} #{number}",
            }


def held_out(article_id: str) -> bool:
    """The first round's held-out third (a03, a06, ..., a30). Its misses were read after it was scored, so
    it is development data since; articles a33 and later were written afterwards, for development. The
    second held-out set (date_corpus_unseen_heldout2.jsonl) was written by someone else and is not here."""
    number = int(article_id[1:3])
    return number % 3 == 0 and number <= 32


if __name__ == "__main__":
    import json
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1]
    dev = [r for r in records(ARTICLES) if not held_out(r["article"])]
    test = [r for r in records(ARTICLES) if held_out(r["article"])]
    for name, rows in (("date_corpus_unseen.jsonl", dev), ("date_corpus_unseen_heldout.jsonl", test)):
        with open(folder / name, "w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    for name, rows in (("dev", dev), ("held-out", test)):
        print(name, len({r["article"] for r in rows}), "articles,", sum(len(r["expected"]) for r in rows),
              "expressions,", sum(len(r["non_dates"]) for r in rows), "non-date numbers")
