package demo

import (
	"huajie/internal/cases"
)

// scenario is one of the seeds' cases, played for several customers at
// different stages.
type scenario struct {
	key      string
	channel  cases.Channel
	text     string // the complaint as the customer put it
	product  string
	contacts []contactLine
	// findings of the investigation
	findings []findingLine
	evidence *evidenceFile
	solution cases.SolutionInput
	// rejectFirst: the customer rejects a first proposal with this reason
	// before accepting the solution.
	rejectFirst  string
	escalate     string // reason; empty: no escalation
	extendReason string // complex case: extend the deadline
	followUp     string
	satisfaction int
	stages       []stage
}

type contactLine struct {
	dir     cases.Direction
	content string
}

type findingLine struct {
	dept, text    string
	substantiated bool
}

type evidenceFile struct {
	name, description, dept, content string
}

// stage says how far a case gets and when it came in.
type stage struct {
	customer string
	daysAgo  float64
	until    cases.State
}

var scenarios = []scenario{
	{
		key:     "bill-not-received",
		channel: cases.ChannelPhone,
		text:    "我的信用卡这个月的账单一直没有收到，差点就逾期了，还被扣了滞纳金。卡号6222021234567890，你们到底怎么回事？",
		product: "信用卡 6222 **** **** 7890",
		contacts: []contactLine{
			{cases.Inbound, "客户来电，情绪焦虑：账单没收到，担心影响征信。"},
			{cases.Outbound, "我理解您的感受，账单没收到确实让人着急。我们马上查明原因，24小时内给您回复。"},
		},
		findings: []findingLine{{"信用卡中心", "系统故障导致本期账单未能及时发送，影响约两千名客户。", true}},
		evidence: &evidenceFile{"账单发送日志.txt", "账单系统发送日志摘录", "科技部", "2026-10-05 02:00 batch bill-send FAILED: smtp relay timeout\n2026-10-05 02:00 retry skipped\n"},
		solution: cases.SolutionInput{
			Summary: "24小时内补发账单，减免滞纳金，并提供一个月免息期作为补偿。",
			Basis:   "账单未送达系银行系统故障所致，责任在我行。",
			Remedies: []cases.Remedy{
				{Kind: cases.RemedyExplanation, Note: "说明系统故障原因"},
				{Kind: cases.RemedyFeeWaiver, AmountMinor: 5000, Currency: "CNY", Note: "减免滞纳金"},
				{Kind: cases.RemedyInterestFree, Days: 30, Note: "一个月免息期"},
			},
		},
		followUp: "客户对处理结果满意，表示会继续使用我行信用卡。", satisfaction: 5,
		stages: []stage{
			{"张伟", 30, cases.StateClosed},
			{"王芳", 9, cases.StateAwaitingCustomer},
			{"李娜", 1, cases.StateAssessing},
			{"刘洋", 13, cases.StateInvestigating},
		},
	},
	{
		key:     "leaked-phone",
		channel: cases.ChannelSocial,
		text:    "我在你们银行办了贷款之后，每天接到十几个骚扰电话，对方知道我的名字和手机号13812345678，肯定是你们泄露了我的个人信息！我要在微博上曝光你们！",
		product: "个人消费贷款",
		contacts: []contactLine{
			{cases.Inbound, "客户在微博发帖投诉信息泄露，情绪愤怒。"},
			{cases.Outbound, "非常抱歉给您带来困扰，我们已成立调查小组，会第一时间告诉您调查结果。"},
		},
		findings: []findingLine{
			{"信息科技部", "一次系统故障中部分客户信息被外泄，已修复漏洞。", true},
			{"风险合规部", "已向监管报告，并通知受影响客户。", true},
		},
		solution: cases.SolutionInput{
			Summary: "向客户说明情况并致歉，承诺采取措施保护客户信息，为客户更换联系号码的验证设置。",
			Basis:   "调查确认信息在系统故障中外泄。",
			Remedies: []cases.Remedy{
				{Kind: cases.RemedyApology},
				{Kind: cases.RemedyExplanation, Note: "通报调查结果与整改措施"},
				{Kind: cases.RemedyCompensation, AmountMinor: 50000, Currency: "CNY"},
			},
		},
		escalate:     "信息泄露，影响范围广，需部门负责人督办",
		extendReason: "涉及信息科技部与风险合规部，需完成溯源调查",
		followUp:     "客户表示骚扰电话已明显减少，认可银行的处理。", satisfaction: 4,
		stages: []stage{
			{"陈静", 40, cases.StateClosed},
			{"杨磊", 20, cases.StateInvestigating},
			{"赵敏", 3, cases.StateReceived},
		},
	},
	{
		key:     "cold-attitude",
		channel: cases.ChannelBranch,
		text:    "今天在网点办业务，柜员态度非常冷漠，问她问题爱答不理，还说这不归我管。我以后再也不用你们银行了！",
		product: "网点柜面服务",
		contacts: []contactLine{
			{cases.Inbound, "客户到网点大堂投诉，情绪激动，表示将不再使用我行服务。"},
			{cases.Outbound, "我理解您的感受，这次的服务确实让您失望了。我们会调查并给您一个答复。"},
		},
		findings: []findingLine{{"营业部", "调取监控并询问当事柜员，确认服务存在失当行为。", true}},
		solution: cases.SolutionInput{
			Summary: "向客户诚恳道歉，对当事柜员进行服务培训，并赠送礼品作为补偿。",
			Remedies: []cases.Remedy{
				{Kind: cases.RemedyApology},
				{Kind: cases.RemedyCompensation, AmountMinor: 20000, Currency: "CNY", Note: "礼品卡"},
			},
		},
		followUp: "客户表示愿意继续使用我行服务。", satisfaction: 4,
		stages: []stage{
			{"黄强", 25, cases.StateClosed},
			{"周婷", 6, cases.StateResolutionProposed},
			{"吴刚", 16, cases.StateAssessing},
			{"徐丽", 0.2, cases.StateReceived},
		},
	},
	{
		key:     "regulator-threat",
		channel: cases.ChannelPhone,
		text:    "你们必须赔我十万块钱，不然我就去银保监会投诉，还要找记者曝光你们！我身份证号110101198001010010，你们查去吧。",
		product: "借记卡",
		contacts: []contactLine{
			{cases.Inbound, "客户提出十万元赔偿要求，扬言投诉至监管部门。"},
			{cases.Outbound, "我们理解您的不满，也重视您的意见。根据相关政策，我们可以为您提供以下解决方案。"},
		},
		findings: []findingLine{{"个人金融部", "客户诉求与实际损失不相称，业务办理符合规定。", false}},
		solution: cases.SolutionInput{
			Summary: "向客户解释相关政策，为客户办理手续费减免。",
			Basis:   "业务办理合规，赔偿要求缺乏依据；手续费减免属合理范围。",
			Remedies: []cases.Remedy{
				{Kind: cases.RemedyExplanation, Note: "解释收费政策"},
				{Kind: cases.RemedyFeeWaiver, AmountMinor: 3000, Currency: "CNY"},
			},
		},
		rejectFirst: "客户认为补偿太少，坚持要求高额赔偿",
		escalate:    "客户扬言投诉至监管部门，转高级处理人员",
		followUp:    "客户接受解决方案，未继续投诉。", satisfaction: 3,
		stages: []stage{
			{"孙浩", 35, cases.StateClosed},
			{"马超", 14.2, cases.StateAwaitingCustomer},
			{"朱琳", 18, cases.StateResolutionProposed},
		},
	},
	{
		key:     "hotel-cleanliness",
		channel: cases.ChannelApp,
		text:    "使用贵行信用卡积分兑换的合作酒店，入住时房间卫生很差，床单上有污渍，卫生间有头发。希望能安排重新打扫，并改进清洁流程。",
		product: "信用卡积分权益",
		contacts: []contactLine{
			{cases.Inbound, "客户语气平和，提出了具体的改进建议。"},
			{cases.Outbound, "感谢您的反馈，我们已联系酒店安排彻底清洁，并向您致歉。"},
		},
		findings: []findingLine{{"信用卡中心", "合作酒店确认当日清洁未按标准完成。", true}},
		solution: cases.SolutionInput{
			Summary: "协调酒店重新清洁房间并致歉，督促合作方改进清洁流程。",
			Remedies: []cases.Remedy{
				{Kind: cases.RemedyApology},
				{Kind: cases.RemedyCompensation, AmountMinor: 10000, Currency: "CNY", Note: "积分返还"},
			},
		},
		followUp: "客户对酒店的响应表示满意，并在社交媒体发布了积极评价。", satisfaction: 5,
		stages: []stage{
			{"胡月", 22, cases.StateClosed},
			{"郭峰", 4, cases.StateFollowUp},
		},
	},
	{
		key:     "delivery-delay",
		channel: cases.ChannelChat,
		text:    "我在贵行商城兑换的商品已经延误五天还没送到，页面一直显示运输中，希望能尽快处理并给个说法。",
		product: "积分商城",
		contacts: []contactLine{
			{cases.Inbound, "客户在线客服反映配送延误，态度友好。"},
			{cases.Outbound, "非常抱歉让您久等了，我们已催促物流并会给您补偿。"},
		},
		findings: []findingLine{{"电子银行部", "物流合作方仓库积压导致配送延误。", true}},
		solution: cases.SolutionInput{
			Summary: "催促物流加急配送，并返还部分积分作为补偿。",
			Remedies: []cases.Remedy{
				{Kind: cases.RemedyApology},
				{Kind: cases.RemedyCompensation, AmountMinor: 2000, Currency: "CNY", Note: "返还积分"},
			},
		},
		followUp: "商品已送达，客户表示满意。", satisfaction: 5,
		stages: []stage{
			{"林涛", 12, cases.StateClosed},
			{"何静", 2, cases.StateInvestigating},
		},
	},
	{
		key:     "branch-wait",
		channel: cases.ChannelBranch,
		text:    "排队等了一个多小时，十个窗口只开了两个，大堂经理也不管，太浪费时间了！",
		product: "网点服务",
		contacts: []contactLine{
			{cases.Inbound, "客户等待时间过长，情绪不满。"},
			{cases.Outbound, "让您久等了，非常抱歉。我们已调整高峰期窗口安排。"},
		},
		findings: []findingLine{{"营业部", "当日两名柜员请假，未及时调配人员。", true}},
		solution: cases.SolutionInput{
			Summary:  "向客户致歉，优化高峰时段窗口排班。",
			Remedies: []cases.Remedy{{Kind: cases.RemedyApology}, {Kind: cases.RemedyExplanation}},
		},
		followUp: "客户再次到访时等待时间明显缩短。", satisfaction: 4,
		stages: []stage{
			{"高鹏", 17, cases.StateClosed},
			{"罗敏", 17, cases.StateAssessing},
			{"梁宇", 0.5, cases.StateReceived},
		},
	},
	{
		key:     "transfer-failed",
		channel: cases.ChannelApp,
		text:    "手机银行转账连续失败三次，钱被扣了却没到账，急死了！这是我第三次打电话了，还没人处理。",
		product: "手机银行",
		contacts: []contactLine{
			{cases.Inbound, "客户第三次来电，焦虑，担心资金安全。"},
			{cases.Outbound, "我完全理解您的担心，资金是安全的，我们已加急核查这笔交易。"},
		},
		findings: []findingLine{{"运营管理部", "跨行清算通道异常，款项已原路退回。", true}},
		solution: cases.SolutionInput{
			Summary:  "款项已退回，向客户解释原因并减免本次手续费。",
			Remedies: []cases.Remedy{{Kind: cases.RemedyExplanation}, {Kind: cases.RemedyFeeWaiver, AmountMinor: 500, Currency: "CNY"}},
		},
		followUp: "客户确认款项到账。", satisfaction: 4,
		stages: []stage{
			{"宋佳", 19, cases.StateClosed},
			{"郑凯", 13.5, cases.StateResolutionProposed},
			{"谢芳", 7, cases.StateInvestigating},
		},
	},
	{
		key:     "mortgage-paperwork",
		channel: cases.ChannelLetter,
		text:    "申请房贷材料交了三次还说不齐全，每次要求都不一样，审批下来的额度也比客户经理说好的少了二十万。",
		product: "个人住房贷款",
		contacts: []contactLine{
			{cases.Inbound, "客户来信投诉，要求不明确，涉及材料和额度两方面。"},
			{cases.Outbound, "我们理解您反复提交材料的不便，会由专人为您一次性说明所需材料并复核额度。"},
		},
		findings: []findingLine{
			{"个人信贷部", "材料清单告知不一致，属流程问题。", true},
			{"授信审批部", "额度依据收入核定，符合政策。", false},
		},
		solution: cases.SolutionInput{
			Summary:  "指定专人一次性告知材料清单，对额度核定依据作出书面说明。",
			Basis:    "额度核定符合政策；材料告知不一致责任在我行。",
			Remedies: []cases.Remedy{{Kind: cases.RemedyApology}, {Kind: cases.RemedyExplanation}},
		},
		extendReason: "涉及个人信贷部与授信审批部，案情复杂",
		followUp:     "客户理解额度依据，贷款已放款。", satisfaction: 3,
		stages: []stage{
			{"韩雪", 45, cases.StateClosed},
			{"冯磊", 21, cases.StateInvestigating},
		},
	},
	{
		key:     "annual-fee",
		channel: cases.ChannelEmail,
		text:    "办卡时客户经理说好终身免年费，结果账户被扣了300元年费，这是误导销售。",
		product: "信用卡",
		contacts: []contactLine{
			{cases.Inbound, "客户邮件投诉年费问题，附办卡时的宣传单照片。"},
			{cases.Outbound, "感谢您提供的材料，我们正在核实办卡时的告知内容。"},
		},
		findings: []findingLine{{"信用卡中心", "宣传材料未写明免年费条件，告知不充分。", true}},
		solution: cases.SolutionInput{
			Summary:  "退还已收年费，并书面说明免年费条件。",
			Remedies: []cases.Remedy{{Kind: cases.RemedyRefund, AmountMinor: 30000, Currency: "CNY"}, {Kind: cases.RemedyExplanation}},
		},
		followUp: "客户确认年费已退还。", satisfaction: 5,
		stages: []stage{
			{"邓辉", 28, cases.StateClosed},
			{"曹颖", 10, cases.StateFollowUp},
			{"彭亮", 19, cases.StateAssessing},
		},
	},
	{
		key:     "wealth-mis-selling",
		channel: cases.ChannelRegulator,
		text:    "理财经理说这款产品保本保收益，结果亏了8%，当时根本没告诉我风险等级。我已经向12378热线反映了。",
		product: "理财产品",
		contacts: []contactLine{
			{cases.Inbound, "监管转办件，客户对理财亏损不满。"},
			{cases.Outbound, "我们已调取当时的双录资料，会尽快给您答复。"},
		},
		findings: []findingLine{{"财富管理部", "双录资料显示风险提示不完整。", true}},
		solution: cases.SolutionInput{
			Summary:  "就风险提示不完整向客户道歉，按约定补偿部分损失。",
			Remedies: []cases.Remedy{{Kind: cases.RemedyApology}, {Kind: cases.RemedyCompensation, AmountMinor: 800000, Currency: "CNY"}},
		},
		escalate: "监管转办，需总行层面处理",
		followUp: "客户接受补偿方案。", satisfaction: 3,
		stages: []stage{
			{"曾伟", 33, cases.StateClosed},
			{"肖红", 11, cases.StateAwaitingCustomer},
			{"田亮", 2.5, cases.StateAssessing},
		},
	},
	{
		key:     "atm-card",
		channel: cases.ChannelPhone,
		text:    "ATM吞了我的卡，打客服电话半小时没人接，周末又取不了钱，你们这服务太差了。",
		product: "自助设备",
		contacts: []contactLine{
			{cases.Inbound, "客户来电，情绪愤怒，周末急需用钱。"},
			{cases.Outbound, "非常抱歉给您带来不便，我们已安排网点周一上午为您取回卡片。"},
		},
		findings: []findingLine{{"运营管理部", "ATM读卡器故障导致吞卡，已维修。", true}},
		solution: cases.SolutionInput{
			Summary:  "安排取回卡片，说明故障原因并致歉。",
			Remedies: []cases.Remedy{{Kind: cases.RemedyApology}, {Kind: cases.RemedyExplanation}},
		},
		followUp: "客户已取回卡片。", satisfaction: 4,
		stages: []stage{
			{"潘婷", 8, cases.StateClosed},
			{"董明", 1.5, cases.StateResolutionProposed},
		},
	},
}
