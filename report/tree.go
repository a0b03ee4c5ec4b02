package report

import "strings"

// TreeNode is one box of the OU diagram: the organization root, a tier
// OU, a child OU under it, or a customer account. The layout takes any
// depth below the tier columns, so a level of child OUs between a tier
// and its customers (segments) draws as one more indentation step once
// the plan carries it.
type TreeNode struct {
	Label string
	// Lines are small text lines under the label (attached SCPs).
	Lines    []string
	Class    string
	Tip      string
	Children []TreeNode
}

// Tree layout figures, in SVG pixels.
const (
	treeColW   = 250.0
	treeRowH   = 18.0
	treeLineH  = 13.0
	treeIndent = 16.0
	treeTop    = 12.0
	treeRootH  = 26.0
	treeGap    = 30.0
)

// treeSVG draws root at the top and each of its children as a column: the
// child's box with its lines, then its descendants as an indented list
// joined by connector lines.
func treeSVG(label string, root TreeNode) SVG {
	cols := max(len(root.Children), 1)
	s := SVG{Width: int(treeColW*float64(cols)) + 10, Label: label}
	rootW := min(float64(s.Width)-20, 420)
	rootX := (float64(s.Width) - rootW) / 2
	s.rect(rootX, treeTop, rootW, treeRootH, "node root", root.Tip)
	s.text(float64(s.Width)/2, treeTop+17, root.Label, "nlabel", "middle")
	busY := treeTop + treeRootH + treeGap/2
	s.line(float64(s.Width)/2, treeTop+treeRootH, float64(s.Width)/2, busY, "edge")
	height := 0.0
	for i, col := range root.Children {
		x := 5 + float64(i)*treeColW
		cx := x + (treeColW-10)/2
		s.line(cx, busY, cx, busY+treeGap/2, "edge")
		if i > 0 {
			s.line(5+float64(i-1)*treeColW+(treeColW-10)/2, busY, cx, busY, "edge")
		}
		y := busY + treeGap/2
		boxH := treeRowH + 4 + treeLineH*float64(len(col.Lines))
		s.rect(x, y, treeColW-10, boxH, strings.TrimSpace("node ou "+col.Class), col.Tip)
		s.text(x+8, y+15, col.Label, "nlabel", "")
		for j, l := range col.Lines {
			s.text(x+8, y+treeRowH+treeLineH*float64(j)+8, l, "nline", "")
		}
		end := treeList(&s, col.Children, x+10, y+boxH, x+treeColW-14)
		height = max(height, end)
	}
	s.Height = int(max(height, busY+treeGap) + 10)
	return s
}

// treeList draws nodes one per row below y, each joined to its parent's
// spine at px and ending at right; children indent one step further. It
// returns the y below the last row.
func treeList(s *SVG, nodes []TreeNode, px, y, right float64) float64 {
	top := y
	lastMid := y
	for _, n := range nodes {
		x := px + treeIndent
		mid := y + treeRowH/2 + 2
		s.line(px, mid, x, mid, "edge")
		s.rect(x, y+3, max(right-x, 60), treeRowH-2, strings.TrimSpace("node leaf "+n.Class), n.Tip)
		s.text(x+5, y+treeRowH-2, n.Label, "llabel", "")
		lastMid = mid
		y += treeRowH + 1
		for _, l := range n.Lines {
			s.text(x+10, y+treeLineH-3, l, "nline", "")
			y += treeLineH
		}
		if len(n.Children) > 0 {
			y = treeList(s, n.Children, x+8, y, right)
		}
	}
	if len(nodes) > 0 {
		s.line(px, top, px, lastMid, "edge")
	}
	return y
}
