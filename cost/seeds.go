package cost

// SeedFigures are what the planning reports claim for one customer count,
// copied as written (ranges and contradictions included) so the
// progression table can show them beside the computed figures.
type SeedFigures struct {
	Customers      int    `json:"customers"`
	Revenue        string `json:"revenue"`
	Infrastructure string `json:"infrastructure"`
	Margin         string `json:"margin"`
	DeployTime     string `json:"deployTime"`
	Source         string `json:"source"`
}

// Report names: the two seed reports.
const (
	seed5  = "5-customer simulation"
	seed10 = "10-customer deployment"
)

// SeedProgression returns the seeds' figures for 1, 5, 10, 25, 50 and 100
// customers. Each call returns fresh values.
func SeedProgression() []SeedFigures {
	return []SeedFigures{
		{1, "$8,000", "$180", "97.8% gross", "7-10 min",
			seed5 + ": 'Comparison: 1 vs 2 vs 5' and 'Configuration Size Growth'"},
		{5, "$58,000", "$180 ('costs don't increase with customer count')", "99.7% gross; 88.5% net (people $6,000 + tools $500)", "10-12 min",
			seed5 + ": revenue breakdown, 'Month 1 Scenario'; " + seed10 + ": 'Phase 1'"},
		{10, "$116,000", "$180 (" + seed5 + "); $540 or $374 (" + seed10 + ")", "94.5% (" + seed5 + "); 99.5% gross, 89.8% net (" + seed10 + ")", "12-15 min; 15-18 min",
			seed5 + ": 'Scaling Projections'; " + seed10 + ": 'Financial Impact', 'Deployment Timeline'"},
		{25, "$290,000", "$180", "97.8% (" + seed5 + "); 99.2% (" + seed10 + ")", "30-35 min",
			seed5 + ": 'Scaling Projections'; " + seed10 + ": 'Phase 3'"},
		{50, "$580,000", "$180; NAT alone $1,620", "98.97% (" + seed5 + "); 98.5% (" + seed10 + ")", "20-25 min; 45-60 min",
			seed5 + ": 'Scaling Projections', 'Configuration Size Growth'; " + seed10 + ": 'Phase 4', 'NAT Gateway Costs at Scale'"},
		{100, "$1,160,000", "$180; NAT alone $3,240", "99.98% (" + seed5 + "); 95.7% (" + seed10 + ")", "30-40 min; 60-90 min",
			seed5 + ": 'Insight #2', 'Configuration Size Growth'; " + seed10 + ": 'Phase 5', 'NAT Gateway Costs at Scale'"},
	}
}

// SeedCounts are the customer counts of the seeds' progression.
func SeedCounts() []int { return []int{1, 5, 10, 25, 50, 100} }
