package plan

// Vocab holds the word lists the extractors use. It is data: the default
// lists live in rules.toml's [vocab] table and a bureau can extend them.
type Vocab struct {
	// OwnerLabels introduce owners: 责任单位, 牵头单位, 责任处室, 配合单位…
	OwnerLabels []string `toml:"owner_labels" json:"owner_labels"`
	// AssistLabels are the labels (and verbs) that mark helpers, not leads: 配合单位, 协办单位, 配合.
	AssistLabels []string `toml:"assist_labels" json:"assist_labels"`
	// OwnerSuffixes end the names of bodies: 部, 委, 局, 厅, 办, 科, 处, 室, 中心…
	OwnerSuffixes []string `toml:"owner_suffixes" json:"owner_suffixes"`
	// CollectiveOwners are owners that name nobody in particular: 各地, 各有关部门…
	CollectiveOwners []string `toml:"collective_owners" json:"collective_owners"`
	// DeferredDeadlines defer to another body's schedule: 根据省里要求, 按省统一进度…
	DeferredDeadlines []string `toml:"deferred_deadlines" json:"deferred_deadlines"`
	// VagueDeadlines are time words that are not dates: 年内, 适时, 逐步, 近期…
	VagueDeadlines []string `toml:"vague_deadlines" json:"vague_deadlines"`
	// VagueVerbs: 进一步加强, 不断完善, 大力推进…
	VagueVerbs []string `toml:"vague_verbs" json:"vague_verbs"`
	// VagueQuantifiers: 大幅提高, 明显改善, 显著…
	VagueQuantifiers []string `toml:"vague_quantifiers" json:"vague_quantifiers"`
	// ReferenceTargets are targets by reference: 省要求, 国家标准, 上级要求…
	ReferenceTargets []string `toml:"reference_targets" json:"reference_targets"`
	// JunkLines mark page furniture: 分享到, 关闭, 打印, 版权所有, 备案序号…
	JunkLines []string `toml:"junk_lines" json:"junk_lines"`
	// WrapperMarkers mark web metadata lines: 索引号, 发布机构, 发布日期, 浏览次数…
	WrapperMarkers []string `toml:"wrapper_markers" json:"wrapper_markers"`
	// TableColumns are header names that make a run of tab-led lines a table.
	TableColumns []string `toml:"table_columns" json:"table_columns"`

	// LeadLabels are the labels and verbs that mark the lead owner: 牵头单位,
	// 牵头处室, 牵头. A label or verb starting with one of them gives Role "lead".
	LeadLabels []string `toml:"lead_labels" json:"lead_labels"`
	// OwnerVerbs close an owner annotation or follow the owners of a
	// sentence: 负责, 牵头, 配合, 指导, 按职责分工负责…
	OwnerVerbs []string `toml:"owner_verbs" json:"owner_verbs"`
	// DeferredLeads, DeferredAuthorities and DeferredTerms make the pattern
	// of a deferred deadline, lead + authority + (a few characters) + term:
	// 根据 + 省 + 爱卫办考核 + 安排. DeferredDeadlines are matched as well.
	DeferredLeads       []string `toml:"deferred_leads" json:"deferred_leads"`
	DeferredAuthorities []string `toml:"deferred_authorities" json:"deferred_authorities"`
	DeferredTerms       []string `toml:"deferred_terms" json:"deferred_terms"`
	// TargetComparators come before a target's value: 达到, 不低于, 提高到,
	// 控制在, 新增… Those of two characters or more may stand a few words
	// before the value (新增病床2000张).
	TargetComparators []string `toml:"target_comparators" json:"target_comparators"`
	// PlainTerms are quoted words that start with a numeral but are ordinary
	// vocabulary, not slogans needing an explanation: 一把手, 三甲, 十三五…
	PlainTerms []string `toml:"plain_terms" json:"plain_terms"`
}
