package i18n

// The case desk's team queue (issue 7: a user's team).
func init() {
	merge(map[string]entry{
		"desk.team_of": {"团队「%s」的在办案件（分派给本团队成员的案件），按最近时限排序。", "Open cases of team %s (assigned to its members), soonest deadline first."},
		"desk.no_team": {"您未加入任何团队，因此这里显示全部在办案件。管理员可用 huajie user team 为您设置团队。", "You are in no team, so all open cases are shown. An administrator can set your team with huajie user team."},
	})
}
