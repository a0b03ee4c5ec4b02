package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/tierzone/tierzone/recorder"
)

// Dashboard is one registered CloudWatch dashboard and its widgets.
type Dashboard struct {
	Name string `json:"name"`
	// Account is the provider the dashboard is registered through
	// ("monitoring", or "<customer>-aws": the customer's own account).
	Account string `json:"account"`
	Bytes   int    `json:"bytes"`
	Metrics int    `json:"metrics"`
	// Widgets are the widget titles, in grid order.
	Widgets []string `json:"widgets"`
}

// dashboardsOf reads the dashboards from the recorded resources.
func dashboardsOf(res []recorder.Resource) []Dashboard {
	var out []Dashboard
	for _, r := range res {
		if r.Type != "aws:cloudwatch/dashboard:Dashboard" {
			continue
		}
		// The provider reference is "<provider URN>::<id>"; the URN ends
		// with the provider's name.
		var d Dashboard
		if p := strings.Split(r.Provider, "::"); len(p) >= 3 {
			d.Account = p[len(p)-2]
		}
		if v, ok := r.Inputs["dashboardName"]; ok && v.IsString() {
			d.Name = v.StringValue()
		}
		if v, ok := r.Inputs["dashboardBody"]; ok && v.IsString() {
			body := v.StringValue()
			d.Bytes = len(body)
			var b struct {
				Widgets []struct {
					Properties struct {
						Title    string            `json:"title"`
						Markdown string            `json:"markdown"`
						Metrics  []json.RawMessage `json:"metrics"`
					} `json:"properties"`
				} `json:"widgets"`
			}
			if json.Unmarshal([]byte(body), &b) == nil {
				for _, w := range b.Widgets {
					t := w.Properties.Title
					if t == "" {
						t, _, _ = strings.Cut(strings.TrimLeft(w.Properties.Markdown, "# "), "\n")
					}
					d.Widgets = append(d.Widgets, t)
					d.Metrics += len(w.Properties.Metrics)
				}
			}
		}
		out = append(out, d)
	}
	return out
}

func (r *Report) writeDashboards(w io.Writer) {
	for _, d := range r.Dashboards {
		fmt.Fprintf(w, "%-32s in %-22s %3d widgets, %4d metrics, %7d bytes\n", d.Name, d.Account, len(d.Widgets), d.Metrics, d.Bytes)
		if len(d.Widgets) <= 12 {
			writeWrapped(w, "    ", d.Widgets, 110)
		}
	}
}
