package jrt

// ChannelCode maps the name of an intake channel, as Huajie's cases and
// interactions spell it, to its code on axis A. Names the standard has no
// own class for fall to the "other" class of their group. ok is false for
// an unknown name.
func ChannelCode(channel string) (code string, ok bool) {
	switch channel {
	case "branch", "counter":
		return "A0101", true
	case "atm", "self_service":
		return "A0102", true
	case "online_banking", "web":
		return "A010301", true
	case "phone":
		return "A010302", true
	case "app":
		return "A010303", true
	case "online_chat", "social_media", "wechat":
		return "A010304", true
	case "sms":
		return "A010305", true
	case "email":
		return "A010399", true
	case "third_party":
		return "A0104", true
	case "letter", "survey", "regulator_referral", "other":
		// referrals and letters reach the bank's middle and back office
		return "A02", true
	}
	return "", false
}
