package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// SVG is one inline diagram built from typed shapes; the page template
// draws rects, then lines, then polylines, then texts, every value
// escaped by html/template.
type SVG struct {
	Width, Height int
	// Label is the diagram's accessible name (aria-label).
	Label string
	Rects []Rect
	Lines []Line
	Polys []Poly
	Texts []Text
}

// Rect is a rectangle; Tip is its hover text (an SVG <title>).
type Rect struct {
	X, Y, W, H float64
	Class, Tip string
}

// Line is a straight line.
type Line struct {
	X1, Y1, X2, Y2 float64
	Class          string
}

// Poly is a polyline through its points.
type Poly struct {
	Points []Point
	Class  string
	Tip    string
}

// Point is one polyline vertex.
type Point struct{ X, Y float64 }

// PointsAttr is the polyline's points attribute.
func (p Poly) PointsAttr() string {
	parts := make([]string, len(p.Points))
	for i, pt := range p.Points {
		parts[i] = num(pt.X) + "," + num(pt.Y)
	}
	return strings.Join(parts, " ")
}

// Text is a label; Anchor is start, middle or end.
type Text struct {
	X, Y   float64
	S      string
	Class  string
	Anchor string
	Tip    string
}

// num formats a coordinate with at most one decimal.
func num(f float64) string {
	return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64)
}

func (s *SVG) rect(x, y, w, h float64, class, tip string) {
	s.Rects = append(s.Rects, Rect{X: x, Y: y, W: w, H: h, Class: class, Tip: tip})
}

func (s *SVG) line(x1, y1, x2, y2 float64, class string) {
	s.Lines = append(s.Lines, Line{X1: x1, Y1: y1, X2: x2, Y2: y2, Class: class})
}

func (s *SVG) text(x, y float64, str, class, anchor string) {
	if anchor == "" {
		anchor = "start"
	}
	s.Texts = append(s.Texts, Text{X: x, Y: y, S: str, Class: class, Anchor: anchor})
}

// Bar is one bar of a bar chart: its label and one value per series.
type Bar struct {
	Label  string
	Values []float64
	// Note is written after the bars (e.g. a margin).
	Note string
	// Class marks a bar's label (diff status).
	Class string
}

// barChart draws horizontal grouped bars: one row per bar, one bar per
// series, scaled to the largest value.
func barChart(label string, series []string, bars []Bar, format func(float64) string) SVG {
	const (
		labelW = 150.0
		plotW  = 360.0
		valueW = 70.0
		noteW  = 180.0
		barH   = 12.0
		top    = 24.0
	)
	rowH := barH*float64(len(series)) + 8
	s := SVG{Width: int(labelW + plotW + valueW + noteW), Height: int(top + rowH*float64(len(bars)) + 8), Label: label}
	maxV := 0.0
	for _, b := range bars {
		for _, v := range b.Values {
			maxV = math.Max(maxV, v)
		}
	}
	if maxV <= 0 {
		maxV = 1
	}
	for i, name := range series {
		x := labelW + float64(i)*150
		s.rect(x, 4, 10, 10, fmt.Sprintf("s%d", i), "")
		s.text(x+14, 13, name, "legend", "")
	}
	for i, b := range bars {
		y := top + float64(i)*rowH
		s.text(labelW-6, y+barH*float64(len(series))/2+4, b.Label, strings.TrimSpace("lbl "+b.Class), "end")
		for j, v := range b.Values {
			w := plotW * v / maxV
			s.rect(labelW, y+float64(j)*barH, math.Max(w, 0.5), barH-2, fmt.Sprintf("s%d", j), fmt.Sprintf("%s %s: %s", b.Label, series[j], format(v)))
			s.text(labelW+w+4, y+float64(j)*barH+barH-3, format(v), "val", "")
		}
		if b.Note != "" {
			s.text(labelW+plotW+valueW, y+barH*float64(len(series))/2+4, b.Note, "note", "")
		}
	}
	return s
}

// Series is one line of a line chart; NaN values are gaps.
type Series struct {
	Name   string
	Values []float64
	// Tips are hover texts per point (optional).
	Tips []string
}

// lineChart draws series over categorical x values (evenly spaced), on a
// log scale when log is set (values must then be positive).
func lineChart(label string, xs []int, series []Series, log bool, format func(float64) string) SVG {
	const (
		left, right, top, bottom = 70.0, 20.0, 28.0, 30.0
		plotW, plotH             = 420.0, 180.0
	)
	s := SVG{Width: int(left + plotW + right), Height: int(top + plotH + bottom), Label: label}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, se := range series {
		for _, v := range se.Values {
			if math.IsNaN(v) || (log && v <= 0) {
				continue
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	scale := func(v float64) float64 { return v }
	if log {
		scale = math.Log10
		lo, hi = math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi)))
	} else {
		lo = math.Min(lo, 0)
	}
	if hi <= lo {
		hi = lo + 1
	}
	y := func(v float64) float64 {
		return top + plotH - plotH*(scale(v)-scale(lo))/(scale(hi)-scale(lo))
	}
	x := func(i int) float64 {
		if len(xs) < 2 {
			return left + plotW/2
		}
		return left + plotW*float64(i)/float64(len(xs)-1)
	}
	// Axes and gridlines.
	s.line(left, top, left, top+plotH, "axis")
	s.line(left, top+plotH, left+plotW, top+plotH, "axis")
	var ticks []float64
	if log {
		for t := lo; t <= hi*1.0001; t *= 10 {
			ticks = append(ticks, t)
		}
	} else {
		for i := 0; i <= 4; i++ {
			ticks = append(ticks, lo+(hi-lo)*float64(i)/4)
		}
	}
	for _, t := range ticks {
		s.line(left, y(t), left+plotW, y(t), "grid")
		s.text(left-6, y(t)+4, format(t), "tick", "end")
	}
	for i, v := range xs {
		s.text(x(i), top+plotH+16, strconv.Itoa(v), "tick", "middle")
	}
	for j, se := range series {
		class := fmt.Sprintf("s%d", j)
		lx := left + float64(j)*180
		s.rect(lx, 6, 10, 10, class, "")
		s.text(lx+14, 15, se.Name, "legend", "")
		var pts []Point
		flush := func() {
			if len(pts) > 1 {
				s.Polys = append(s.Polys, Poly{Points: pts, Class: "ln " + class})
			}
			pts = nil
		}
		for i, v := range se.Values {
			if i >= len(xs) || math.IsNaN(v) || (log && v <= 0) {
				flush()
				continue
			}
			pts = append(pts, Point{x(i), y(v)})
			tip := fmt.Sprintf("%s, %d customers: %s", se.Name, xs[i], format(v))
			if i < len(se.Tips) && se.Tips[i] != "" {
				tip = se.Tips[i]
			}
			s.rect(x(i)-3, y(v)-3, 6, 6, "pt "+class, tip)
		}
		flush()
	}
	return s
}

// GanttBar is one bar of a Gantt chart, in seconds from the start.
type GanttBar struct {
	Label      string
	Start, End int
	Class, Tip string
}

// gantt draws one row per bar on a time axis of minutes.
func gantt(label string, bars []GanttBar) SVG {
	const (
		labelW, right, top, rowH = 260.0, 30.0, 22.0, 16.0
		plotW                    = 560.0
	)
	total := 1
	for _, b := range bars {
		total = max(total, b.End)
	}
	s := SVG{Width: int(labelW + plotW + right), Height: int(top + rowH*float64(len(bars)) + 10), Label: label}
	x := func(sec int) float64 { return labelW + plotW*float64(sec)/float64(total) }
	step := niceStep(float64(total)/60, 8) * 60
	for t := 0.0; t <= float64(total); t += step {
		s.line(x(int(t)), top-4, x(int(t)), float64(s.Height)-8, "grid")
		s.text(x(int(t)), top-8, fmt.Sprintf("%d min", int(t/60)), "tick", "middle")
	}
	for i, b := range bars {
		y := top + float64(i)*rowH
		s.text(labelW-6, y+rowH-5, b.Label, "lbl", "end")
		s.rect(x(b.Start), y+2, math.Max(x(b.End)-x(b.Start), 1), rowH-4, b.Class, b.Tip)
	}
	return s
}

// niceStep is a 1, 2 or 5 times a power of ten step that splits span into
// at most n parts.
func niceStep(span float64, n int) float64 {
	if span <= 0 {
		return 1
	}
	raw := span / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return math.Max(m*p, 1)
		}
	}
	return math.Max(10*p, 1)
}
