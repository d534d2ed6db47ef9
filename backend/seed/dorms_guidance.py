"""Demo dorm guidance: general rules and the buildings' own versions of some of them.

``topic`` ties the versions of one rule together; a building's version (``building`` set)
overrides the general one for that building's residents. The house rules quoted here
match the buildings in ``backend/seed/dorms.py`` (B3 follows the general rules; B7 is
next to the library and quieter earlier; B12 houses graduate students and locks later).
"""

from typing import NamedTuple


class ArticleSeed(NamedTuple):
    slug: str
    topic: str
    building: str | None
    title_en: str
    title_zh: str
    summary_en: str
    summary_zh: str
    body_en: str
    body_zh: str
    tags: list[str]
    aliases: list[str]


ARTICLES = [
    ArticleSeed(
        "quiet-hours",
        "quiet-hours",
        None,
        "Quiet hours in the dorms",
        "宿舍安静时间",
        "Quiet hours are 23:00-07:00 every day unless your building's notice says otherwise.",
        "每天23:00至次日07:00为安静时间，各楼另有规定的以本楼为准。",
        "During quiet hours keep voices, music and games low enough that they cannot be "
        "heard outside your room, use headphones, and avoid moving furniture or using "
        "hair dryers in the corridor. Some buildings start quiet hours earlier; check your "
        "building's version of this rule. Repeated disturbances are recorded by the dorm "
        "manager and can affect your housing assessment.",
        "安静时间内请控制说话、音乐和游戏的音量，确保房间外听不到；请使用耳机，不要在走廊"
        "使用吹风机或搬动家具。部分楼栋的安静时间开始得更早，请查看本楼的规定。多次影响他人"
        "休息将由宿管记录，并影响住宿考评。",
        ["quiet-hours", "rules", "noise"],
        [
            "quiet time",
            "curfew noise",
            "lights out",
            "sleep time",
            "安静时间",
            "熄灯时间",
            "几点要安静",
            "休息时间",
            "晚上几点不能吵",
        ],
    ),
    ArticleSeed(
        "quiet-hours-b7",
        "quiet-hours",
        "B7",
        "Quiet hours in Building 7",
        "7号楼安静时间",
        "Building 7 is next to the library: quiet hours are 22:30-07:00.",
        "7号楼紧邻图书馆，安静时间为22:30至次日07:00。",
        "Because Building 7 faces the library reading rooms, quiet hours start at 22:30, half "
        "an hour earlier than in other buildings, and end at 07:00. The 3rd-floor study "
        "lounge is a silent zone at all times. Please close balcony doors when you talk on "
        "the phone after 22:30.",
        "7号楼正对图书馆阅览室，安静时间从22:30开始，比其他楼早半小时，至次日07:00结束。三楼"
        "自习室全天保持安静。22:30以后打电话请关好阳台门。",
        ["quiet-hours", "rules", "noise"],
        ["quiet time", "lights out", "安静时间", "熄灯时间", "几点要安静", "休息时间"],
    ),
    ArticleSeed(
        "quiet-hours-b12",
        "quiet-hours",
        "B12",
        "Quiet hours in Building 12",
        "12号楼安静时间",
        "Building 12 (graduate students) keeps quiet hours from 23:30 to 07:30.",
        "12号楼（研究生楼）安静时间为23:30至次日07:30。",
        "Many Building 12 residents work late in the labs, so quiet hours run from 23:30 to "
        "07:30. Shared kitchens on each floor close at 23:30. Please keep doors closed "
        "gently when you come back late.",
        "12号楼住有较多需要在实验室工作到很晚的研究生，安静时间为23:30至次日07:30。各楼层"
        "公共厨房23:30关闭。晚归时请轻开轻关门。",
        ["quiet-hours", "rules", "noise"],
        ["quiet time", "lights out", "安静时间", "熄灯时间", "几点要安静", "休息时间"],
    ),
    ArticleSeed(
        "door-lock",
        "door-lock",
        None,
        "Door-lock hours",
        "宿舍门禁时间",
        "Dorm front doors lock at 23:30 and open at 06:00.",
        "宿舍楼大门23:30关闭，次日06:00开启。",
        "Front doors lock at 23:30 and open again at 06:00; your door card does not open "
        "them in between. If you will be back late for a lab, an internship or a flight, "
        "register in the campus app (Dorm → Late return) before 22:00 and show your student "
        "ID to the duty guard. Unregistered late returns are recorded.",
        "宿舍楼大门每晚23:30关闭，次日06:00开启，期间门禁卡无法开门。如因实验、实习或航班需要"
        "晚归，请在22:00前通过校园App（宿舍→晚归登记）登记，回来时向值班人员出示学生证。未登记"
        "的晚归将被记录。",
        ["door-lock", "rules", "curfew"],
        [
            "curfew",
            "door closes",
            "when do doors lock",
            "lockout time",
            "gate",
            "门禁",
            "关门",
            "几点关门",
            "锁门",
            "关门时间",
            "大门",
            "几点开门",
        ],
    ),
    ArticleSeed(
        "door-lock-b7",
        "door-lock",
        "B7",
        "Door-lock hours in Building 7",
        "7号楼门禁时间",
        "Building 7's front door locks at 23:00 and opens at 06:00.",
        "7号楼大门23:00关闭，次日06:00开启。",
        "Building 7 locks its front door at 23:00, half an hour before the other buildings, "
        "and opens it at 06:00. The side door by the bike shed is locked from 21:00. Late "
        "returns must be registered in the campus app before 22:00.",
        "7号楼大门每晚23:00关闭（比其他楼早半小时），次日06:00开启；自行车棚旁的侧门21:00后"
        "关闭。晚归须在22:00前通过校园App登记。",
        ["door-lock", "rules", "curfew"],
        [
            "curfew",
            "door closes",
            "lockout time",
            "门禁",
            "关门",
            "几点关门",
            "锁门",
            "关门时间",
            "大门",
        ],
    ),
    ArticleSeed(
        "door-lock-b12",
        "door-lock",
        "B12",
        "Door-lock hours in Building 12",
        "12号楼门禁时间",
        "Building 12's front door locks at 00:30 and opens at 06:00.",
        "12号楼大门00:30关闭，次日06:00开启。",
        "Building 12 houses graduate students and locks later: the front door locks at 00:30 "
        "and opens at 06:00. After 00:30 the duty guard lets residents in with a student ID; "
        "no registration is needed before 02:00.",
        "12号楼为研究生楼，门禁较晚：大门00:30关闭，次日06:00开启。00:30以后凭学生证由值班人员"
        "开门，02:00前回来无需提前登记。",
        ["door-lock", "rules", "curfew"],
        [
            "curfew",
            "door closes",
            "lockout time",
            "门禁",
            "关门",
            "几点关门",
            "锁门",
            "关门时间",
            "大门",
        ],
    ),
    ArticleSeed(
        "late-return",
        "late-return",
        None,
        "Coming back after the door has locked",
        "门禁后晚归怎么办",
        "Press the bell at the front door; the duty guard checks your student ID and records "
        "the late return.",
        "按大门门铃，值班人员核对学生证后开门并登记晚归。",
        "If you arrive after the door has locked, press the bell at the front door and show "
        "your student ID to the duty guard. Late returns registered in advance in the app "
        "are not counted; unregistered ones are, and three in a month are reported to your "
        "counsellor. Never climb fences or ask others to prop doors open.",
        "门禁后回来请按大门门铃，向值班人员出示学生证。提前在App登记的晚归不计入记录；未登记的"
        "会被记录，一个月内三次将通报辅导员。严禁翻越围栏或让他人帮忙撑门。",
        ["door-lock", "curfew"],
        [
            "back late",
            "locked out",
            "after curfew",
            "late night",
            "晚归",
            "回来晚了",
            "进不去",
            "被锁在外面",
            "门关了",
        ],
    ),
    ArticleSeed(
        "visitors",
        "visitors",
        None,
        "Visitors and guests",
        "访客与来访登记",
        "Visitors register at the front desk with a photo ID and leave by 22:00; no "
        "overnight guests.",
        "访客须持有效证件在值班室登记，22:00前离开，不得留宿。",
        "Visitors are welcome 08:00-22:00. They register at the front desk with a photo ID "
        "and the resident they visit comes down to collect them. Guests may not stay "
        "overnight; parents helping on move-in day may stay until 22:00. You are responsible "
        "for your visitors' behaviour.",
        "访客开放时间为08:00-22:00。访客须在一楼值班室出示有效证件登记，并由被访学生下楼接。"
        "访客不得留宿；入住日帮忙的家长可停留至22:00。学生对访客的行为负责。",
        ["visitors", "rules"],
        [
            "guest",
            "friend visit",
            "parents visit",
            "overnight guest",
            "visiting hours",
            "访客",
            "来访",
            "朋友来",
            "家长来",
            "留宿",
            "会客",
            "探访",
        ],
    ),
    ArticleSeed(
        "visitors-b12",
        "visitors",
        "B12",
        "Visitors in Building 12",
        "12号楼访客规定",
        "Building 12 visitors register in the campus app and may stay until 23:00.",
        "12号楼访客通过校园App预约登记，可停留至23:00。",
        "Residents of Building 12 pre-register visitors in the campus app (Dorm → Visitors); "
        "the visitor shows the QR code and a photo ID at the desk. Visiting hours are "
        "08:00-23:00. Overnight guests are not allowed.",
        "12号楼住户通过校园App（宿舍→访客）为访客预约登记，访客到值班室出示二维码和有效证件。"
        "访客时间为08:00-23:00，不得留宿。",
        ["visitors", "rules"],
        ["guest", "friend visit", "visiting hours", "访客", "来访", "朋友来", "留宿", "会客"],
    ),
    ArticleSeed(
        "laundry",
        "laundry",
        None,
        "Laundry rooms",
        "洗衣房",
        "Every building has a laundry room; washers and dryers are paid by scanning the QR "
        "code in the campus app.",
        "每栋楼都有洗衣房，洗衣机和烘干机用校园App扫码支付。",
        "Each dorm building has a laundry room with washers and dryers. Scan the QR code on "
        "the machine with the campus app to pay: a wash costs 3 yuan and 30 minutes of drying "
        "2 yuan. Collect your clothes promptly; items left more than 2 hours go to the lost "
        "property shelf. Report a broken machine with the sticker number on it. Your "
        "building's version of this article says where the room is.",
        "每栋宿舍楼都设有洗衣房，配有洗衣机和烘干机。用校园App扫描机器上的二维码付款：洗衣"
        "3元/次，烘干2元/30分钟。洗完请及时取走衣物，超过2小时未取的衣物将放到失物架。机器"
        "故障请报修并注明机器编号。洗衣房位置见本楼的说明。",
        ["laundry"],
        [
            "washing machine",
            "washer",
            "dryer",
            "wash clothes",
            "do laundry",
            "洗衣机",
            "洗衣服",
            "烘干机",
            "洗衣",
            "烘干",
        ],
    ),
    ArticleSeed(
        "laundry-b3",
        "laundry",
        "B3",
        "Laundry in Building 3",
        "3号楼洗衣房",
        "Building 3's laundry room is Room 103 on the ground floor, open 07:00-23:00.",
        "3号楼洗衣房位于一楼103室，开放时间07:00-23:00。",
        "Room 103 on the ground floor has 6 washers and 3 dryers, open 07:00-23:00. Pay by "
        "scanning the QR code in the campus app (3 yuan a wash, 2 yuan per 30 minutes of "
        "drying). Drying racks are on the roof terrace, open until 19:00.",
        "3号楼一楼103室有6台洗衣机和3台烘干机，开放时间07:00-23:00，用校园App扫码支付（洗衣3元"
        "/次，烘干2元/30分钟）。楼顶晾衣平台开放至19:00。",
        ["laundry"],
        ["washing machine", "washer", "dryer", "洗衣机", "洗衣服", "烘干机", "晾衣服"],
    ),
    ArticleSeed(
        "laundry-b7",
        "laundry",
        "B7",
        "Laundry in Building 7",
        "7号楼洗衣房",
        "Building 7's laundry room is in the basement (B1), open 24 hours.",
        "7号楼洗衣房在地下一层（B1），24小时开放。",
        "The basement (B1) laundry room has 8 washers and 4 dryers and is open 24 hours; take "
        "the stairs by the lift. Pay in the campus app. Please do not run machines on the "
        "3rd floor study side after 22:30: the basement is the only laundry in Building 7.",
        "7号楼地下一层（B1）洗衣房有8台洗衣机、4台烘干机，24小时开放，从电梯旁楼梯下去。用校园"
        "App扫码支付。7号楼只有地下一层有洗衣房。",
        ["laundry"],
        ["washing machine", "washer", "dryer", "basement", "洗衣机", "洗衣服", "烘干机", "地下室"],
    ),
    ArticleSeed(
        "laundry-b12",
        "laundry",
        "B12",
        "Laundry in Building 12",
        "12号楼洗衣点",
        "Building 12 has two washers at the east end of every floor; dryers are on the "
        "ground floor.",
        "12号楼每层东侧有两台洗衣机，烘干机在一楼。",
        "Every floor of Building 12 has a laundry corner at the east end with two washers, "
        "open 06:00-23:30. The four dryers are in the ground-floor laundry room next to the "
        "mailroom. Pay in the campus app.",
        "12号楼每层东侧设有洗衣角，各有两台洗衣机，开放时间06:00-23:30；四台烘干机在一楼收发室"
        "旁的洗衣房。用校园App扫码支付。",
        ["laundry"],
        ["washing machine", "washer", "dryer", "洗衣机", "洗衣服", "烘干机"],
    ),
    ArticleSeed(
        "electricity-top-up",
        "electricity-top-up",
        None,
        "Topping up electricity",
        "电费充值",
        "Top up your room's electricity in the campus app (Dorm → Utilities) or at the "
        "lobby kiosk; power cuts off at zero balance.",
        "在校园App（宿舍→水电缴费）或楼下自助机为房间充电费，余额为零会自动断电。",
        "Each room has a prepaid electricity meter. Top up in the campus app under Dorm → "
        "Utilities → Electricity, choose your building and room, and pay with the campus "
        "card or a mobile wallet; the meter updates within 10 minutes. The self-service "
        "kiosk in the lobby works too. The app warns roommates when the balance falls below "
        "10 yuan; at zero the power to sockets and lights is cut until you top up.",
        "每个房间安装预付费电表。在校园App选择 宿舍→水电缴费→电费，选择楼栋和房间号，用校园卡"
        "或手机支付充值，约10分钟内到账；也可以在一楼大厅自助机充值。余额低于10元时App会提醒"
        "同寝室同学，余额为零时插座和照明断电，充值后恢复。",
        ["electricity", "top-up", "utilities"],
        [
            "electric bill",
            "power bill",
            "pay electricity",
            "recharge",
            "electricity balance",
            "电费",
            "充电费",
            "交电费",
            "缴电费",
            "电费充值",
            "电费余额",
            "买电",
        ],
    ),
    ArticleSeed(
        "electricity-top-up-b12",
        "electricity-top-up",
        "B12",
        "Topping up electricity in Building 12",
        "12号楼电费充值",
        "Building 12 rooms have smart meters: top up in the campus app under Dorm → Smart "
        "meter; there is no lobby kiosk.",
        "12号楼使用智能电表：在校园App 宿舍→智能电表 充值，楼内没有自助机。",
        "Building 12 was refitted with smart meters in 2025. Top up in the campus app under "
        "Dorm → Smart meter; the credit arrives at once. Each resident has a personal "
        "allowance of 15 kWh a month included in the rent; you pay only for use above it. "
        "There is no kiosk in the lobby.",
        "12号楼于2025年改装为智能电表。请在校园App 宿舍→智能电表 充值，即时到账。每位住户每月"
        "含15度免费电量，超出部分才需付费。楼内不设自助充值机。",
        ["electricity", "top-up", "utilities"],
        [
            "electric bill",
            "pay electricity",
            "recharge",
            "smart meter",
            "电费",
            "充电费",
            "交电费",
            "缴电费",
            "智能电表",
        ],
    ),
    ArticleSeed(
        "water-top-up",
        "water-top-up",
        None,
        "Topping up water and hot-water credit",
        "水费与热水充值",
        "Water and hot water are charged to your campus card; top it up in the campus app "
        "(Dorm → Utilities → Water).",
        "用水和热水从校园卡扣费，在校园App（宿舍→水电缴费→水费）充值。",
        "Cold and hot water in the bathrooms and showers are charged per litre to the campus "
        "card of whoever taps it on the reader. Top up in the campus app under Dorm → "
        "Utilities → Water, or at the lobby kiosk. If the reader shows 'insufficient "
        "balance', top up and tap again after one minute.",
        "卫生间和淋浴的冷热水按用量从刷卡人的校园卡扣费。在校园App 宿舍→水电缴费→水费 或一楼"
        "自助机充值。读卡器显示“余额不足”时，充值一分钟后再刷卡即可。",
        ["water", "top-up", "utilities"],
        [
            "water bill",
            "pay water",
            "shower card",
            "water card",
            "水费",
            "充水费",
            "交水费",
            "水卡",
            "热水卡",
            "洗澡卡",
        ],
    ),
    ArticleSeed(
        "lost-key",
        "lost-key",
        None,
        "Lost your room key?",
        "钥匙丢了怎么办",
        "Borrow a spare at the front desk with your student ID; a lost key is replaced for "
        "20 yuan within one working day.",
        "凭学生证到值班室借用备用钥匙；补配钥匙20元，一个工作日内完成。",
        "If you lose your room key, go to your building's front desk with your student ID: "
        "the duty staff open the door or lend a spare key for up to 24 hours. To replace it, "
        "pay 20 yuan in the campus app (Dorm → Key replacement); the new key is ready at the "
        "front desk the next working day. If the key was stolen or the room was entered, "
        "ask for a lock change (free) and tell campus security.",
        "房间钥匙丢失后，请携带学生证到本楼值班室，值班人员可帮你开门或借出备用钥匙（最长24小时）。"
        "补配钥匙请在校园App 宿舍→补配钥匙 支付20元，下一个工作日到值班室领取。如果钥匙被盗或"
        "房间被人进入，可申请免费换锁并报告校园保卫处。",
        ["key", "lost"],
        [
            "lost key",
            "lost my key",
            "locked out of room",
            "spare key",
            "key replacement",
            "钥匙丢了",
            "丢钥匙",
            "钥匙不见了",
            "忘带钥匙",
            "配钥匙",
            "开门",
        ],
    ),
    ArticleSeed(
        "door-card",
        "door-card",
        None,
        "Door card not working or lost",
        "门禁卡失效或丢失",
        "Your campus card is your door card; if it stops opening the door, re-activate it at "
        "the front desk; if lost, freeze it in the app.",
        "校园卡即门禁卡；刷不开门请到值班室重新激活，丢失请先在App挂失。",
        "The building's front door and your floor's fire door open with your campus card. If "
        "it stops working, the access rights have usually expired: the front desk re-activates "
        "them in a minute. If you lose the card, freeze it in the campus app at once, then "
        "get a new card at the card centre (Student Service Hall, 15 yuan) and have it "
        "activated at the front desk.",
        "宿舍大门和楼层防火门使用校园卡开门。刷卡无反应通常是门禁权限过期，到值班室一分钟即可"
        "重新激活。校园卡丢失请立即在校园App挂失，再到学生服务大厅卡务中心补办（15元），并到"
        "值班室激活门禁。",
        ["key", "door-card", "lost"],
        [
            "access card",
            "campus card",
            "card reader",
            "badge",
            "门禁卡",
            "校园卡",
            "刷卡",
            "刷不开",
            "卡丢了",
            "补卡",
        ],
    ),
    ArticleSeed(
        "move-in",
        "move-in",
        None,
        "Moving in",
        "入住指南",
        "Check in at your building's front desk during the move-in days with your student "
        "ID; collect your key and door card and inspect your room.",
        "在入住日携带学生证到本楼值班室办理入住，领取钥匙和门禁卡并检查房间。",
        "Move-in days are published for each building and term (see your checklist). Pay the "
        "accommodation fee in the campus app first. At the front desk show your student ID, "
        "sign the housing agreement and collect your key and door card. Check the room "
        "against the inventory form and report any damage within 3 days, or you may be "
        "charged for it at move-out. Parents may help on move-in day until 22:00.",
        "各楼栋每学期的入住日期会提前公布（见入住清单）。请先在校园App缴纳住宿费，再到值班室出示"
        "学生证、签署住宿协议，领取钥匙和门禁卡。对照物品清单检查房间，3天内报告损坏情况，否则"
        "退宿时可能需要赔偿。入住当天家长可停留至22:00。",
        ["move-in", "checklist"],
        [
            "check in",
            "arrival",
            "moving in",
            "first day",
            "入住",
            "报到",
            "搬进来",
            "入宿",
            "新生入住",
        ],
    ),
    ArticleSeed(
        "move-out",
        "move-out",
        None,
        "Moving out",
        "退宿指南",
        "Book a checkout inspection, clean and empty your room, settle utilities and return "
        "your key by the last move-out day.",
        "预约退宿检查，清空并打扫房间，结清水电费，在退宿截止日前交还钥匙。",
        "Book a checkout inspection at the front desk at least 2 days before you leave. Take "
        "all belongings, clean the room and the bathroom, and settle any electricity or water "
        "balance. Return your key and door card at the front desk after the inspection. "
        "Damage beyond normal wear is charged to your campus card. Items left behind after "
        "the last move-out day are removed.",
        "请至少提前2天到值班室预约退宿检查。带走全部个人物品，打扫房间和卫生间，结清水电费。检查"
        "通过后到值班室交还钥匙和门禁卡。超出正常损耗的损坏将从校园卡扣费。退宿截止日后遗留的"
        "物品将被清理。",
        ["move-out", "checklist"],
        [
            "check out",
            "leaving",
            "moving out",
            "graduation",
            "退宿",
            "搬走",
            "离校",
            "退房",
            "毕业离校",
        ],
    ),
    ArticleSeed(
        "room-change",
        "room-change",
        None,
        "Changing rooms",
        "调换宿舍",
        "Apply for a room change in the campus app during the first four weeks of a term; "
        "the dorm manager decides within 5 working days.",
        "每学期前四周可在校园App申请调换宿舍，宿管在5个工作日内答复。",
        "Room changes are possible in the first four weeks of each term, and at any time for "
        "health or safety reasons. Apply in the campus app (Dorm → Room change) with the "
        "reason; two students who want to swap can apply together. The dorm manager answers "
        "within 5 working days. Do not move before the change is approved: your key, door "
        "card and electricity account move with you.",
        "每学期前四周可申请调换宿舍，因健康或安全原因可随时申请。在校园App（宿舍→调换宿舍）提交"
        "申请并说明原因；两位同学互换可一起申请。宿管在5个工作日内答复。获批前请勿自行搬动，"
        "钥匙、门禁卡和电费账户会一并变更。",
        ["room-change"],
        [
            "switch rooms",
            "swap rooms",
            "move to another room",
            "change dorm",
            "new roommate",
            "换宿舍",
            "调宿舍",
            "换寝室",
            "换房间",
            "调换寝室",
        ],
    ),
    ArticleSeed(
        "repairs",
        "repairs",
        None,
        "Reporting a repair",
        "宿舍报修",
        "Report broken things in the app or to the assistant; urgent leaks, sparks or "
        "no power at night: call the front desk.",
        "物品损坏可在App或通过助手报修；漏水、冒火花或夜间断电等紧急情况请直接联系值班室。",
        "Report a repair in the campus app (Repairs → New) or just tell the assistant, e.g. "
        "'the light in my room is broken'. Add a photo and your room number if you are not "
        "in your own room. You can follow the ticket and confirm when it is fixed. Emergencies "
        "- water leaking, sparks, a smell of burning, a door that will not lock - call the "
        "front desk at once; the duty technician comes within 30 minutes, day and night.",
        "可在校园App（报修→新建）或直接告诉助手报修，例如“我房间的灯坏了”。可附照片，不在自己房间"
        "时请注明房间号。可以随时查看进度，修好后确认。紧急情况（漏水、冒火花、焦糊味、门锁不上）"
        "请立即联系值班室，值班维修人员昼夜30分钟内到场。",
        ["repairs"],
        [
            "fix",
            "broken",
            "maintenance",
            "report a problem",
            "not working",
            "leak",
            "报修",
            "维修",
            "坏了",
            "修理",
            "漏水",
            "怎么报修",
        ],
    ),
    ArticleSeed(
        "noise-complaint",
        "noise-complaint",
        None,
        "Noise from neighbours",
        "噪音投诉",
        "Ask politely first; if the noise goes on during quiet hours, report it to the front "
        "desk or in the app - anonymously if you prefer.",
        "先礼貌沟通；安静时间内噪音持续，可向值班室或在App中投诉，可匿名。",
        "Most noise problems end with a friendly knock. If the noise continues during quiet "
        "hours, report it to the front desk or in the campus app (Dorm → Feedback → Noise) "
        "with the room number and time; you may stay anonymous. The duty staff visit the "
        "room; repeated complaints are passed to the dorm manager.",
        "多数噪音问题礼貌敲门沟通即可解决。安静时间内噪音持续，可向值班室或在校园App（宿舍→反馈"
        "→噪音）投诉，注明房间号和时间，可匿名。值班人员会上门提醒，多次被投诉的情况将转交宿管"
        "处理。",
        ["noise", "complaint", "quiet-hours"],
        [
            "noisy neighbours",
            "too loud",
            "can't sleep",
            "loud music",
            "complain about noise",
            "roommate too loud",
            "噪音",
            "太吵",
            "吵闹",
            "隔壁很吵",
            "室友太吵",
            "投诉",
            "睡不着",
        ],
    ),
    ArticleSeed(
        "fire-safety",
        "fire-safety",
        None,
        "Fire safety and evacuation",
        "消防安全与疏散",
        "Know your two escape routes; when the alarm sounds, leave by the stairs, never the "
        "lift, and gather at the assembly point.",
        "熟悉两条疏散路线；火警响起时走楼梯撤离，禁止乘电梯，到集合点集合。",
        "Every floor has two staircases and a fire extinguisher by each; the escape plan is "
        "on the back of your room door. When the alarm sounds, close your door, leave by the "
        "stairs (never the lift) and gather at your building's assembly point on the "
        "sports field. Call 119 and the front desk if you see fire or smoke. Do not block "
        "corridors or fire doors, and do not cover smoke detectors. A fire drill is held "
        "every term.",
        "每层有两部楼梯，楼梯旁配有灭火器；疏散图贴在房门背面。火警响起时关好房门，走楼梯撤离"
        "（禁止乘电梯），到运动场本楼集合点集合。发现火情或烟雾请拨打119并通知值班室。请勿堵塞"
        "走廊和防火门，不得遮挡烟感器。每学期进行一次消防演练。",
        ["safety", "fire"],
        [
            "fire alarm",
            "evacuation",
            "fire drill",
            "smoke detector",
            "emergency exit",
            "fire extinguisher",
            "消防",
            "火灾",
            "着火",
            "火警",
            "疏散",
            "灭火器",
            "烟感",
            "安全",
        ],
    ),
    ArticleSeed(
        "prohibited-appliances",
        "prohibited-appliances",
        None,
        "Appliances you may not use",
        "违章电器",
        "High-power appliances (over 800 W), hot plates, rice cookers, electric blankets and "
        "charging e-bike batteries in rooms are not allowed.",
        "禁止使用800瓦以上大功率电器、电炉、电饭锅、电热毯，禁止在室内给电动车电池充电。",
        "To prevent fires and overloads, rooms may not use appliances above 800 W, heating "
        "plates, rice cookers, kettles without auto-off, electric blankets, or charge e-bike "
        "batteries. The circuit breaker trips when a high-power appliance is plugged in. "
        "Banned appliances found during inspections are kept at the front desk until you "
        "leave campus. Laptops, phone chargers, desk lamps and hair dryers are fine.",
        "为防止火灾和线路过载，宿舍内禁止使用800瓦以上电器、电热炉、电饭锅、无自动断电的热水壶、"
        "电热毯，禁止给电动车电池充电。插入大功率电器会导致跳闸。检查中发现的违章电器由值班室"
        "暂存至离校。笔记本电脑、手机充电器、台灯和吹风机可以使用。",
        ["safety", "electricity", "rules"],
        [
            "banned appliances",
            "hot pot",
            "rice cooker",
            "kettle",
            "electric blanket",
            "high power",
            "违章电器",
            "大功率",
            "电饭锅",
            "热得快",
            "电热毯",
            "能用吗",
            "小电器",
        ],
    ),
    ArticleSeed(
        "hot-water",
        "hot-water",
        None,
        "Hot water and showers",
        "热水与洗澡",
        "Showers have hot water 24 hours a day; tap your campus card on the shower reader.",
        "淋浴24小时供应热水，在淋浴读卡器上刷校园卡。",
        "Hot water for showers and basins is available 24 hours a day in most buildings; tap "
        "your campus card on the reader to start, tap again to stop. If the water stays cold "
        "for more than 2 minutes, try another shower and report the faulty one. Scheduled "
        "boiler maintenance is announced in the app 2 days ahead.",
        "大部分楼栋淋浴和洗手池24小时供应热水；刷校园卡开始出水，再刷一次停止。出水超过2分钟仍是"
        "冷水，请换一个淋浴位并报修。锅炉计划检修会提前2天在App通知。",
        ["hot-water", "utilities"],
        [
            "shower",
            "no hot water",
            "cold shower",
            "water heater",
            "bath",
            "热水",
            "洗澡",
            "淋浴",
            "没有热水",
            "热水器",
            "水不热",
        ],
    ),
    ArticleSeed(
        "hot-water-b3",
        "hot-water",
        "B3",
        "Hot water in Building 3",
        "3号楼热水供应时间",
        "Building 3's solar and boiler hot water runs 06:30-23:30 only.",
        "3号楼太阳能加锅炉供热水，供应时间为06:30-23:30。",
        "Building 3 uses solar panels with a backup boiler, so hot water runs from 06:30 to "
        "23:30 only. Showers are busiest 21:00-23:00; the water is hottest in the late "
        "afternoon. Tap your campus card on the shower reader.",
        "3号楼采用太阳能加辅助锅炉供热水，热水供应时间仅为06:30-23:30。21:00-23:00为洗澡高峰，"
        "傍晚水温最高。淋浴时刷校园卡。",
        ["hot-water", "utilities"],
        [
            "shower",
            "no hot water",
            "hot water hours",
            "热水",
            "洗澡",
            "淋浴",
            "没有热水",
            "热水时间",
            "几点有热水",
        ],
    ),
    ArticleSeed(
        "internet",
        "internet",
        None,
        "Internet and Wi-Fi",
        "宿舍网络与Wi-Fi",
        "Connect to Campus-WiFi with your student number, or plug into the room's network "
        "socket; each student gets 60 GB a month free.",
        "使用学号连接Campus-WiFi，或使用房间网口有线上网；每人每月60GB免费流量。",
        "Every room has Campus-WiFi coverage and one wired socket per bed. Sign in with your "
        "student number and unified password. Each student has 60 GB of free traffic a "
        "month; more can be bought in the campus app (Network → Plans). Personal routers "
        "are not allowed because they interfere with the access points. If the connection "
        "drops, restart the device and report it as a network repair.",
        "每个房间都有Campus-WiFi覆盖，每个床位有一个有线网口。用学号和统一身份认证密码登录。每人"
        "每月60GB免费流量，超出可在校园App（网络→套餐）购买。禁止私接路由器，以免干扰无线接入点。"
        "网络断开请先重启设备，仍无法上网请报修网络。",
        ["internet", "network"],
        [
            "wifi",
            "wi-fi",
            "wireless",
            "network",
            "broadband",
            "no internet",
            "router",
            "wifi not working",
            "internet not working",
            "no signal",
            "ethernet",
            "网络",
            "上网",
            "无线",
            "网速慢",
            "连不上网",
            "断网",
            "宽带",
            "路由器",
            "网络不好",
            "信号差",
        ],
    ),
    ArticleSeed(
        "parcels",
        "parcels",
        None,
        "Mail and parcels",
        "快递与信件",
        "Parcels go to the Campus Express Station next to the North Canteen, open "
        "09:00-21:00; letters go to your building's mailroom.",
        "快递送到北区食堂旁的校园快递驿站（09:00-21:00），信件送到本楼收发室。",
        "Couriers do not deliver to rooms. Parcels go to the Campus Express Station next to "
        "the North Canteen (09:00-21:00); collect them with the pickup code from the SMS. "
        "Use the address 'Houqin University, [building] [room], [your name], [phone]'. "
        "Letters and registered mail go to your building's mailroom at the front desk. "
        "Unclaimed parcels are returned after 7 days.",
        "快递员不送货上门。快递统一送到北区食堂旁的校园快递驿站（09:00-21:00），凭短信取件码取件。"
        "收件地址请写“后勤大学 [楼栋][房间号] [姓名] [电话]”。信件和挂号信送到本楼值班室收发室。"
        "7天未取的快递将被退回。",
        ["parcels", "mail"],
        [
            "package",
            "delivery",
            "courier",
            "express",
            "post office",
            "letter",
            "pickup code",
            "快递",
            "包裹",
            "取快递",
            "驿站",
            "信件",
            "邮件",
            "寄快递",
        ],
    ),
    ArticleSeed(
        "parcels-b7",
        "parcels",
        "B7",
        "Parcel lockers in Building 7",
        "7号楼快递柜",
        "Building 7 has parcel lockers in the lobby: small parcels are delivered there; "
        "larger ones go to the Campus Express Station.",
        "7号楼大厅设有快递柜，小件快递直接投柜，大件送校园快递驿站。",
        "Building 7 has smart parcel lockers in the lobby. Couriers put small parcels in a "
        "locker and you get a code by SMS; collect within 48 hours. Larger parcels go to the "
        "Campus Express Station next to the North Canteen (09:00-21:00). Letters are at the "
        "front desk.",
        "7号楼大厅设有智能快递柜。小件快递由快递员投柜，取件码通过短信发送，请48小时内取件。大件"
        "快递送到北区食堂旁的校园快递驿站（09:00-21:00）。信件在值班室领取。",
        ["parcels", "mail"],
        [
            "package",
            "delivery",
            "parcel locker",
            "courier",
            "快递",
            "包裹",
            "取快递",
            "快递柜",
            "信件",
        ],
    ),
    ArticleSeed(
        "power-outage",
        "power-outage",
        None,
        "No power in your room",
        "房间突然断电",
        "Check your electricity balance first; if it is not zero, the breaker has probably "
        "tripped: unplug high-power devices and ask the front desk to reset it.",
        "先查电费余额；余额充足多半是跳闸，拔掉大功率电器后请值班室复位。",
        "If the lights and sockets go off: 1) check the room's electricity balance in the "
        "campus app - at zero the power is cut until you top up; 2) if there is credit, the "
        "breaker has probably tripped because of a high-power appliance: unplug it and ask "
        "the front desk to reset the breaker (it is in the locked corridor box); 3) if the "
        "whole floor is dark, it is a fault: report it as an electrical repair.",
        "灯和插座都没电时：1）先在校园App查询房间电费余额，余额为零会断电，充值即可恢复；2）有余额"
        "多半是大功率电器导致跳闸，拔掉后请值班室复位（电闸在走廊上锁的电箱内）；3）整层都停电属于"
        "故障，请报修电工。",
        ["electricity", "repairs"],
        [
            "power cut",
            "no electricity",
            "blackout",
            "tripped breaker",
            "lights out suddenly",
            "断电",
            "停电",
            "没电了",
            "跳闸",
            "灯不亮",
            "插座没电",
        ],
    ),
    ArticleSeed(
        "air-conditioning",
        "air-conditioning",
        None,
        "Air conditioning",
        "空调使用",
        "Every room has an air conditioner; its power comes from the room's electricity "
        "credit. Keep it at 26 °C or above in summer and clean the filter monthly.",
        "每间宿舍都有空调，用电从房间电费中扣除。夏季请设在26℃以上，每月清洗滤网。",
        "The remote control is on the inventory list; ask the front desk if it is missing. "
        "Air conditioning uses the room's electricity credit. Please keep it at 26 °C or "
        "warmer in summer, close windows while it runs and clean the filter once a month. "
        "If it leaks water, blows warm air or shows an error code, report it as an "
        "air-conditioning repair.",
        "空调遥控器在物品清单上，遗失请联系值班室。空调用电从房间电费中扣除。夏季请设定在26℃及以上，"
        "开空调时关好门窗，每月清洗一次滤网。空调漏水、不制冷或显示故障代码，请报修空调。",
        ["air-conditioning", "electricity"],
        [
            "ac",
            "aircon",
            "air conditioner",
            "cooling",
            "too hot",
            "remote control",
            "空调",
            "空调遥控器",
            "空调不制冷",
            "太热",
            "空调漏水",
        ],
    ),
    ArticleSeed(
        "heating",
        "heating",
        None,
        "Winter heating",
        "冬季供暖",
        "Radiators are on from 15 November to 15 March; the air conditioner's heating mode "
        "can be used in between.",
        "暖气供应时间为11月15日至次年3月15日；其余时间可使用空调制热。",
        "Central heating runs from 15 November to 15 March, keeping rooms at about 18-20 °C. "
        "Do not cover radiators or dry wet clothes on them. If your radiator stays cold when "
        "others are warm, bleed the air with the valve key at the front desk or report it. "
        "Electric heaters are prohibited appliances.",
        "集中供暖时间为每年11月15日至次年3月15日，室温约18-20℃。请勿遮盖暖气片或在上面烘烤湿衣服。"
        "别人的暖气热而你的不热，可到值班室借放气钥匙放气，或直接报修。电暖器属于违章电器。",
        ["heating", "utilities"],
        [
            "radiator",
            "cold room",
            "heater",
            "warm",
            "winter",
            "暖气",
            "供暖",
            "太冷",
            "暖气不热",
            "取暖",
        ],
    ),
    ArticleSeed(
        "drinking-water",
        "drinking-water",
        None,
        "Drinking water",
        "饮用水",
        "Every floor has a filtered water dispenser with hot and cold water, free for residents.",
        "每层都有直饮水机，提供冷热水，住户免费使用。",
        "Filtered drinking-water dispensers stand next to the stairs on every floor and give "
        "boiling and room-temperature water free of charge. Tap water in the bathrooms is "
        "not for drinking. Bottled water can be ordered in the campus app and is delivered "
        "to the front desk.",
        "每层楼梯旁都设有直饮水机，免费提供开水和常温水。卫生间自来水不可直接饮用。桶装水可在校园"
        "App订购，送到值班室。",
        ["water"],
        [
            "drinking water",
            "water dispenser",
            "boiled water",
            "bottled water",
            "饮水机",
            "开水",
            "喝水",
            "直饮水",
            "打开水",
            "桶装水",
        ],
    ),
    ArticleSeed(
        "hygiene-inspection",
        "hygiene-inspection",
        None,
        "Room hygiene and safety inspections",
        "宿舍卫生与安全检查",
        "Rooms are inspected every two weeks on Wednesday afternoon; you will be told a day ahead.",
        "每两周周三下午进行一次宿舍卫生安全检查，提前一天通知。",
        "The dorm manager and student union inspect rooms every two weeks on Wednesday "
        "afternoon, with a notice the day before. They look at cleanliness, rubbish, banned "
        "appliances and fire risks, not at personal belongings. You do not have to be "
        "present. Rooms rated 'excellent' all term get a small prize; failed rooms are "
        "re-inspected after 3 days.",
        "宿管和学生会每两周周三下午检查宿舍，提前一天通知。检查内容为卫生、垃圾、违章电器和消防"
        "隐患，不翻看个人物品，本人可以不在场。全学期评为“优秀”的宿舍有小奖励；不合格的宿舍3天后"
        "复查。",
        ["inspection", "rules", "cleaning"],
        [
            "room check",
            "inspection",
            "cleanliness",
            "hygiene",
            "查寝",
            "卫生检查",
            "查房",
            "宿舍检查",
            "内务",
        ],
    ),
    ArticleSeed(
        "garbage-sorting",
        "garbage-sorting",
        None,
        "Rubbish and recycling",
        "垃圾分类",
        "Sort rubbish into recyclable, kitchen, hazardous and other waste; bins are at the "
        "end of each corridor, emptied daily at 08:00.",
        "垃圾分为可回收物、厨余垃圾、有害垃圾和其他垃圾；分类垃圾桶在走廊尽头，每天08:00清运。",
        "Sorted bins stand at the end of every corridor: blue for recyclables, green for "
        "kitchen waste, red for hazardous waste (batteries, lamps, medicine) and grey for "
        "other waste. Cleaners empty them every day at 08:00. Large items such as boxes and "
        "old furniture go to the collection point behind the building.",
        "每层走廊尽头设有分类垃圾桶：蓝色为可回收物，绿色为厨余垃圾，红色为有害垃圾（电池、灯管、"
        "药品），灰色为其他垃圾。保洁人员每天08:00清运。纸箱、旧家具等大件垃圾请放到楼后的回收点。",
        ["cleaning", "rules"],
        [
            "trash",
            "garbage",
            "recycling",
            "waste",
            "bins",
            "垃圾",
            "扔垃圾",
            "垃圾分类",
            "垃圾桶",
            "倒垃圾",
        ],
    ),
    ArticleSeed(
        "holiday-stay",
        "holiday-stay",
        None,
        "Staying in the dorm over the holidays",
        "假期留校住宿",
        "Apply in the campus app two weeks before the winter or summer holiday; residents "
        "who stay are moved to one building.",
        "寒暑假留校请在放假前两周通过校园App申请，留校学生集中安排在一栋楼。",
        "To stay on campus during the winter or summer holiday, apply in the campus app "
        "(Dorm → Holiday stay) at least two weeks before the holiday starts. To save energy, "
        "students who stay are grouped in one building, announced a week before; you may "
        "need to move temporarily. Canteen and laundry hours are reduced during holidays.",
        "寒暑假需要留校住宿，请在放假前至少两周通过校园App（宿舍→假期留校）申请。为节约能源，留校"
        "学生会集中安排在一栋楼，放假前一周公布，可能需要临时搬动。假期食堂和洗衣房开放时间缩短。",
        ["holidays"],
        [
            "winter break",
            "summer vacation",
            "stay on campus",
            "holiday accommodation",
            "寒假留校",
            "暑假留校",
            "假期住宿",
            "留校",
            "放假",
        ],
    ),
    ArticleSeed(
        "bicycles",
        "bicycles",
        None,
        "Bicycles and e-bikes",
        "自行车与电动车",
        "Park bicycles and e-bikes in the shed; charge e-bikes only at the charging "
        "stations, never indoors.",
        "自行车和电动车请停在车棚；电动车只能在充电桩充电，严禁进楼充电。",
        "Bicycles and e-bikes must be parked in the covered shed next to each building, not "
        "in corridors or the lobby. E-bike batteries may be charged only at the charging "
        "stations in the shed (1 yuan per 4 hours, pay in the app); taking batteries "
        "indoors is a serious fire-safety violation. Register your bike in the app to get a "
        "parking sticker.",
        "自行车和电动车须停放在各楼旁的车棚内，不得停在走廊或大厅。电动车电池只能在车棚充电桩充电"
        "（1元/4小时，App支付），把电池带进楼内充电属于严重消防违规。请在App登记车辆领取停车贴。",
        ["safety", "bicycles"],
        [
            "bike",
            "bicycle",
            "e-bike",
            "scooter",
            "parking",
            "charging station",
            "自行车",
            "电动车",
            "停车",
            "充电桩",
            "电瓶车",
        ],
    ),
    ArticleSeed(
        "security-theft",
        "security-theft",
        None,
        "Keeping your things safe",
        "防盗与财物安全",
        "Lock your door whenever you leave, even briefly; report theft to the front desk and "
        "campus security at 021-6543-1110.",
        "离开房间随手锁门；发生盗窃请报告值班室和校园保卫处（021-6543-1110）。",
        "Most dorm thefts happen through unlocked doors. Lock the door when you leave, even "
        "for a few minutes, keep valuables in your lockable drawer and do not let strangers "
        "follow you through the front door. If something is stolen, tell the front desk and "
        "campus security (021-6543-1110, 24 hours); CCTV covers entrances and corridors.",
        "宿舍盗窃大多发生在未锁门时。离开房间哪怕几分钟也要锁门，贵重物品放在带锁抽屉里，不要让"
        "陌生人尾随进入大门。发生盗窃请告知值班室和校园保卫处（021-6543-1110，24小时），出入口和"
        "走廊有监控。",
        ["safety", "security"],
        [
            "stolen",
            "theft",
            "thief",
            "security",
            "valuables",
            "被偷",
            "丢东西",
            "失窃",
            "小偷",
            "保卫处",
            "东西丢了",
        ],
    ),
    ArticleSeed(
        "emergency",
        "emergency",
        None,
        "Emergencies at night",
        "夜间紧急情况",
        "For illness or injury call 120 and the front desk; the campus clinic night line is "
        "021-6543-1120.",
        "生病或受伤请拨打120并通知值班室；校医院夜间电话021-6543-1120。",
        "The front desk is staffed 24 hours and has a first-aid kit and an AED. For a "
        "medical emergency call 120, then the front desk so they can guide the ambulance. "
        "The campus clinic's night line is 021-6543-1120; campus security is 021-6543-1110. "
        "If you are worried about a roommate, tell the front desk or your counsellor.",
        "值班室24小时有人值守，配有急救箱和AED。突发疾病请先拨打120，再通知值班室引导救护车。"
        "校医院夜间电话021-6543-1120，校园保卫处021-6543-1110。如果担心室友的状况，请告诉值班室或"
        "辅导员。",
        ["safety", "emergency"],
        [
            "sick",
            "ill",
            "injured",
            "ambulance",
            "doctor",
            "clinic",
            "first aid",
            "急救",
            "生病",
            "受伤",
            "医院",
            "校医院",
            "紧急",
            "救护车",
        ],
    ),
    ArticleSeed(
        "pests",
        "pests",
        None,
        "Insects and pests",
        "蟑螂与虫害",
        "Report cockroaches, bedbugs or mice in the app; pest control visits every Thursday.",
        "发现蟑螂、臭虫或老鼠请在App报修，每周四统一消杀。",
        "Keep food in sealed boxes and empty the bin daily. If you see cockroaches, bedbugs, "
        "ants or mice, report it in the campus app as a repair (category: other); the pest "
        "control team visits reported rooms every Thursday. Mosquito nets are sold at the "
        "campus shop.",
        "食物请密封保存，垃圾每天清理。发现蟑螂、臭虫、蚂蚁或老鼠，请在校园App报修（类别：其他），"
        "消杀人员每周四上门处理。校内超市有蚊帐出售。",
        ["cleaning", "repairs"],
        [
            "cockroach",
            "bugs",
            "bedbugs",
            "mice",
            "mosquito",
            "ants",
            "蟑螂",
            "虫子",
            "臭虫",
            "老鼠",
            "蚊子",
            "消杀",
        ],
    ),
    ArticleSeed(
        "storage",
        "storage",
        None,
        "Luggage storage",
        "行李寄存",
        "Store luggage in your building's storeroom for free during holidays; book a slot at "
        "the front desk.",
        "假期可免费将行李寄存在本楼储藏室，到值班室预约。",
        "Each building has a storeroom in the basement or on the ground floor. During "
        "holidays and between terms you can store up to two suitcases for free; book at the "
        "front desk and label your bags with your name and room. Valuables and food may not "
        "be stored.",
        "每栋楼在地下室或一楼设有储藏室。假期和学期之间每人可免费寄存两件行李，请到值班室预约，并"
        "在行李上写明姓名和房间号。贵重物品和食品不予寄存。",
        ["holidays", "storage"],
        [
            "store luggage",
            "suitcase",
            "storeroom",
            "keep my things",
            "寄存",
            "行李",
            "储藏室",
            "放行李",
            "存东西",
        ],
    ),
    ArticleSeed(
        "pets",
        "pets",
        None,
        "Pets",
        "宠物",
        "No pets of any kind may be kept in the dorms.",
        "宿舍内禁止饲养任何宠物。",
        "For hygiene, allergy and safety reasons, pets - including cats, dogs, hamsters, "
        "birds and reptiles - may not be kept in the dorms, even for a short time. Small "
        "aquarium fish are allowed. Please do not feed stray cats inside the buildings.",
        "出于卫生、过敏和安全考虑，宿舍内禁止饲养任何宠物，包括猫、狗、仓鼠、鸟和爬行动物，短期"
        "也不行。小型观赏鱼除外。请勿在楼内投喂流浪猫。",
        ["rules"],
        ["cat", "dog", "hamster", "animal", "keep a pet", "宠物", "养猫", "养狗", "小动物"],
    ),
    ArticleSeed(
        "cooking",
        "cooking",
        None,
        "Cooking in the dorms",
        "宿舍做饭",
        "Cooking is not allowed in rooms; use the microwave in the ground-floor lounge.",
        "宿舍房间内禁止做饭，可使用一楼活动室的微波炉。",
        "Cooking in rooms is not allowed: rice cookers, hot pots and hot plates are "
        "prohibited appliances. The ground-floor lounge of each building has microwaves and "
        "a kettle for everyone. Building 12 also has shared kitchens (see its version).",
        "宿舍房间内禁止做饭，电饭锅、火锅和电热炉均属违章电器。每栋楼一楼活动室配有公用微波炉和"
        "热水壶。12号楼另设公共厨房（见该楼说明）。",
        ["rules", "cooking"],
        [
            "cook",
            "kitchen",
            "microwave",
            "hot pot",
            "make food",
            "做饭",
            "厨房",
            "微波炉",
            "煮面",
            "火锅",
        ],
    ),
    ArticleSeed(
        "cooking-b12",
        "cooking",
        "B12",
        "Shared kitchens in Building 12",
        "12号楼公共厨房",
        "Building 12 has a shared kitchen on every floor, open 07:00-23:30.",
        "12号楼每层设有公共厨房，开放时间07:00-23:30。",
        "Each floor of Building 12 has a shared kitchen with induction hobs, a fridge and a "
        "microwave, open 07:00-23:30. Label your food in the fridge; it is cleared every "
        "Sunday night. Clean up after cooking. Cooking in rooms is still not allowed.",
        "12号楼每层设有公共厨房，配有电磁炉、冰箱和微波炉，开放时间07:00-23:30。冰箱内食物请贴上"
        "名字，每周日晚清理。做饭后请清洁干净。房间内仍禁止做饭。",
        ["rules", "cooking"],
        ["cook", "kitchen", "fridge", "make food", "做饭", "厨房", "冰箱", "煮面"],
    ),
    ArticleSeed(
        "smoking",
        "smoking",
        None,
        "Smoking",
        "吸烟",
        "Smoking and vaping are not allowed anywhere inside dorm buildings.",
        "宿舍楼内任何地方禁止吸烟（包括电子烟）。",
        "All dorm buildings are smoke-free, including rooms, balconies, stairwells and "
        "toilets; this covers e-cigarettes. Smoke detectors in the rooms trigger the fire "
        "alarm. Use the designated smoking point outside the main gate.",
        "所有宿舍楼全面禁烟，包括房间、阳台、楼梯间和卫生间，电子烟同样禁止。房间烟感器会触发火警。"
        "请到大门外指定吸烟点吸烟。",
        ["rules", "safety"],
        ["cigarette", "vape", "e-cigarette", "smoke", "吸烟", "抽烟", "电子烟", "香烟"],
    ),
    ArticleSeed(
        "roommate-conflict",
        "roommate-conflict",
        None,
        "Problems with a roommate",
        "室友矛盾",
        "Talk it through with a room agreement first; your floor's student adviser or the "
        "dorm manager can mediate.",
        "先沟通并制定寝室公约；可请楼层学生助理或宿管调解。",
        "Many disagreements (sleep times, guests, cleaning) are solved by writing a short "
        "room agreement together. If that does not help, your floor's student adviser or "
        "the dorm manager can mediate in confidence. The counselling centre offers free "
        "sessions. If mediation fails, a room change can be considered.",
        "作息、访客、打扫等方面的分歧，一起制定一份简短的寝室公约往往就能解决。如果仍无法解决，可请"
        "楼层学生助理或宿管保密调解；心理咨询中心提供免费咨询。调解无效时可考虑调换宿舍。",
        ["roommates"],
        [
            "roommate",
            "argument",
            "conflict",
            "mediation",
            "不合",
            "室友",
            "矛盾",
            "吵架",
            "相处",
            "调解",
        ],
    ),
    ArticleSeed(
        "dorm-manager",
        "dorm-manager",
        None,
        "Contacting your dorm manager",
        "联系宿管",
        "Your dorm manager's office is on the ground floor; the front desk is staffed 24 "
        "hours. The assistant can show your manager's phone and email.",
        "宿管办公室在一楼，值班室24小时有人；助手可以告诉你宿管的电话和邮箱。",
        "Each building has a dorm manager (宿管) who handles room changes, inspections, "
        "complaints and anything the rules do not cover; their office is on the ground floor, "
        "open 08:30-17:30 on weekdays. Outside those hours the front desk is staffed around "
        "the clock. Ask the assistant 'who is my dorm manager' for the phone number and "
        "email.",
        "每栋楼都有一位宿管，负责调换宿舍、检查、投诉以及规定未涉及的事项；办公室在一楼，工作日"
        "08:30-17:30。其他时间值班室24小时有人。问助手“我的宿管是谁”即可获得电话和邮箱。",
        ["contact"],
        [
            "dorm manager",
            "house manager",
            "front desk",
            "contact",
            "phone number",
            "who to ask",
            "宿管",
            "宿管阿姨",
            "值班室",
            "联系方式",
            "电话",
            "找谁",
        ],
    ),
    ArticleSeed(
        "furniture",
        "furniture",
        None,
        "Furniture and damage",
        "家具与损坏赔偿",
        "Do not move furniture between rooms; report damage early - normal wear is free, "
        "damage you cause is charged at cost.",
        "请勿在房间之间搬动家具；及时报修，正常损耗免费，人为损坏按价赔偿。",
        "Each bed comes with a desk, chair, wardrobe and bookshelf listed on the inventory. "
        "Do not move furniture between rooms or take it apart. Report broken furniture as a "
        "repair: normal wear is fixed for free; damage you cause is charged at cost, for "
        "example 80 yuan for a chair or 200 yuan for a desk.",
        "每个床位配有书桌、椅子、衣柜和书架，列在物品清单上。请勿在房间之间搬动或拆卸家具。家具损坏"
        "请报修：正常损耗免费维修，人为损坏按价赔偿，例如椅子80元、书桌200元。",
        ["repairs", "rules"],
        [
            "desk",
            "chair",
            "bed",
            "wardrobe",
            "broken furniture",
            "compensation",
            "家具",
            "桌子",
            "椅子",
            "床",
            "衣柜",
            "赔偿",
        ],
    ),
]
