// Package dashboard is the CloudWatch dashboard body as typed Go values:
// widgets and metrics are structs marshalled with encoding/json, never
// hand-built JSON. Check validates a body against CloudWatch's limits
// before anything is registered. It imports nothing of Tierzone's.
package dashboard

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// CloudWatch's dashboard limits ("CloudWatch service quotas", Dashboards;
// PutDashboard API reference).
const (
	// MaxWidgets is the widgets one dashboard may hold.
	MaxWidgets = 500
	// MaxMetricsPerWidget is the metrics one graph widget may hold.
	MaxMetricsPerWidget = 500
	// MaxMetricsPerDashboard is the metrics across all widgets.
	MaxMetricsPerDashboard = 2500
	// MaxNameLength and the name's characters: PutDashboard DashboardName
	// "can contain only alphanumerics, dash (-), and underscore (_)".
	MaxNameLength = 255
	// MaxBodyBytes is Tierzone's own ceiling on a body (1 MiB): the
	// PutDashboard reference states no byte limit of its own, so bodies
	// are kept well below what the API's request size allows.
	MaxBodyBytes = 1 << 20
	// GridWidth is the dashboard grid's width in units.
	GridWidth = 24
)

var namePattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// ValidName reports whether CloudWatch accepts name as a dashboard name.
func ValidName(name string) bool { return len(name) <= MaxNameLength && namePattern.MatchString(name) }

// Body is a dashboard body.
type Body struct {
	Start          string   `json:"start,omitempty"`
	PeriodOverride string   `json:"periodOverride,omitempty"`
	Widgets        []Widget `json:"widgets"`
}

// Widget is one widget on the grid. Properties is a *MetricProps, *TextProps
// or *AlarmProps.
type Widget struct {
	Type       string `json:"type"`
	X          int    `json:"x"`
	Y          int    `json:"y"`
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	Properties any    `json:"properties"`
}

// MetricProps are a metric (graph) widget's properties.
type MetricProps struct {
	Title   string   `json:"title"`
	View    string   `json:"view"`
	Stacked bool     `json:"stacked"`
	Region  string   `json:"region"`
	Stat    string   `json:"stat,omitempty"`
	Period  int      `json:"period,omitempty"`
	Metrics []Metric `json:"metrics"`
}

// Metric is one line of a metric widget: either a metric (Namespace, Name,
// Dimensions) or an expression (SEARCH or metric math).
type Metric struct {
	Namespace  string
	Name       string
	Dimensions []Dimension
	// Expression replaces the metric (a SEARCH or metric math).
	Expression string
	Options    MetricOptions
}

// Dimension is one metric dimension.
type Dimension struct{ Name, Value string }

// MetricOptions is the options object at the end of a metric array.
type MetricOptions struct {
	// AccountID is the source account of a cross-account metric.
	AccountID  string `json:"accountId,omitempty"`
	Region     string `json:"region,omitempty"`
	Label      string `json:"label,omitempty"`
	ID         string `json:"id,omitempty"`
	Stat       string `json:"stat,omitempty"`
	Expression string `json:"expression,omitempty"`
}

// MarshalJSON renders the metric the way the body's "metrics" array wants
// it: [namespace, name, dim, value, ..., {options}] or [{expression...}].
func (m Metric) MarshalJSON() ([]byte, error) {
	if m.Expression != "" {
		o := m.Options
		o.Expression = m.Expression
		return json.Marshal([]any{o})
	}
	row := []any{m.Namespace, m.Name}
	for _, d := range m.Dimensions {
		row = append(row, d.Name, d.Value)
	}
	row = append(row, m.Options)
	return json.Marshal(row)
}

// TextProps are a text widget's properties.
type TextProps struct {
	Markdown string `json:"markdown"`
}

// AlarmProps are an alarm status widget's properties.
type AlarmProps struct {
	Title  string   `json:"title"`
	Alarms []string `json:"alarms"`
}

// Section is a titled group of widgets laid out in rows.
type Section struct {
	Title   string
	Widgets []Widget
}

// Layout places the widgets of each section on the grid, left to right,
// a section header (text) first, a new row whenever the width runs out.
func Layout(sections ...Section) []Widget {
	var out []Widget
	y := 0
	for _, s := range sections {
		if s.Title != "" {
			out = append(out, Widget{Type: "text", X: 0, Y: y, Width: GridWidth, Height: 1, Properties: &TextProps{Markdown: "## " + s.Title}})
			y++
		}
		x, rowHeight := 0, 0
		for _, w := range s.Widgets {
			if x+w.Width > GridWidth {
				x, y, rowHeight = 0, y+rowHeight, 0
			}
			w.X, w.Y = x, y
			out = append(out, w)
			x += w.Width
			rowHeight = max(rowHeight, w.Height)
		}
		y += rowHeight
	}
	return out
}

// Graph is a time-series metric widget.
func Graph(title, region string, metrics ...Metric) Widget {
	return Widget{Type: "metric", Width: 8, Height: 6, Properties: &MetricProps{Title: title, View: "timeSeries", Region: region, Period: 300, Metrics: metrics}}
}

// AlarmStatus is an alarm status widget.
func AlarmStatus(title string, alarmARNs []string) Widget {
	return Widget{Type: "alarm", Width: GridWidth, Height: 3, Properties: &AlarmProps{Title: title, Alarms: alarmARNs}}
}

// Text is a markdown widget.
func Text(markdown string, height int) Widget {
	return Widget{Type: "text", Width: GridWidth, Height: height, Properties: &TextProps{Markdown: markdown}}
}

// Metrics is how many metrics (and expressions) a widget holds.
func (w Widget) Metrics() int {
	if p, ok := w.Properties.(*MetricProps); ok {
		return len(p.Metrics)
	}
	return 0
}

// Title is the widget's title (a text widget's first line).
func (w Widget) Title() string {
	switch p := w.Properties.(type) {
	case *MetricProps:
		return p.Title
	case *AlarmProps:
		return p.Title
	case *TextProps:
		first, _, _ := strings.Cut(p.Markdown, "\n")
		return strings.TrimLeft(first, "# ")
	}
	return ""
}

// Accounts are the source accounts the body's metrics name, each once.
func (b Body) Accounts() []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range b.Widgets {
		if p, ok := w.Properties.(*MetricProps); ok {
			for _, m := range p.Metrics {
				if a := m.Options.AccountID; a != "" && !seen[a] {
					seen[a] = true
					out = append(out, a)
				}
			}
		}
	}
	return out
}

// JSON is the body as PutDashboard takes it.
func (b Body) JSON() (string, error) {
	out, err := json.Marshal(b)
	return string(out), err
}

// Check validates a named body against CloudWatch's limits and returns
// its JSON; every problem is reported, each naming the dashboard.
func Check(name string, b Body) (string, error) {
	var problems []string
	if !ValidName(name) {
		problems = append(problems, fmt.Sprintf("name %q is not a dashboard name (letters, digits, - and _, at most %d)", name, MaxNameLength))
	}
	if n := len(b.Widgets); n > MaxWidgets {
		problems = append(problems, fmt.Sprintf("%d widgets; CloudWatch allows %d per dashboard", n, MaxWidgets))
	}
	total := 0
	for _, w := range b.Widgets {
		n := w.Metrics()
		total += n
		if n > MaxMetricsPerWidget {
			problems = append(problems, fmt.Sprintf("widget %q has %d metrics; CloudWatch allows %d per widget", w.Title(), n, MaxMetricsPerWidget))
		}
		if w.X < 0 || w.Width < 1 || w.X+w.Width > GridWidth {
			problems = append(problems, fmt.Sprintf("widget %q at x=%d width=%d is outside the %d-unit grid", w.Title(), w.X, w.Width, GridWidth))
		}
	}
	if total > MaxMetricsPerDashboard {
		problems = append(problems, fmt.Sprintf("%d metrics; CloudWatch allows %d per dashboard", total, MaxMetricsPerDashboard))
	}
	body, err := b.JSON()
	if err != nil {
		problems = append(problems, err.Error())
	}
	if len(body) > MaxBodyBytes {
		problems = append(problems, fmt.Sprintf("body is %d bytes; at most %d", len(body), MaxBodyBytes))
	}
	if len(problems) > 0 {
		return "", fmt.Errorf("dashboard %s: %s", name, strings.Join(problems, "; "))
	}
	return body, nil
}
