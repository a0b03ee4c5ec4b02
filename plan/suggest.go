package plan

import (
	"strings"
)

// closest returns the candidate nearest to word when it is a plausible typo:
// equal ignoring case, "_" and "-", or at most two edits away (and fewer
// edits than half the word). It returns "" when nothing is close.
func closest(word string, candidates []string) string {
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(s))
	}
	best, bestDist := "", 3
	for _, c := range candidates {
		if norm(c) == norm(word) {
			return c
		}
		if d := editDistance(norm(word), norm(c)); d < bestDist && 2*d < len(word) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
