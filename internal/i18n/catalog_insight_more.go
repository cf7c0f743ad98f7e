package i18n

func init() {
	merge(map[string]entry{
		"ia.alerted_period": {"本期触发预警的会话（按最高风险）", "Conversations that raised a risk alert in the period (highest risk first)"},
		"ia.alerted_at":     {"预警时间", "Alerted at"},
		"ia.sq_examples":    {"近期投诉及其证据（标出的词决定了归属维度）", "Recent complaints and their evidence (the marked terms decided the dimension)"},
	})
}
