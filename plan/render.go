package plan

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/tierzone/tierzone/components"
)

// WriteJSON writes the report as indented JSON, the machine contract: the
// bytes encoding/json writes for the whole report (two-space indent, no
// HTML escaping, a final newline), streamed. The resources, nearly all of
// it, are encoded one at a time straight to w instead of the whole
// document being built (and indented again) in memory first.
func (r *Report) WriteJSON(w io.Writer) error {
	if err := r.writeJSON(w); err != nil {
		return fmt.Errorf("write plan JSON: %w", err)
	}
	return nil
}

// resourcesKey is the line of the resources field as the encoder writes
// it for an empty (nil) slice, at the report's top level.
const resourcesKey = "\n  \"resources\": null"

func (r *Report) writeJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	rest := *r
	rest.Resources = nil
	var head bytes.Buffer
	enc := json.NewEncoder(&head)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&rest); err != nil {
		return err
	}
	doc := head.Bytes()
	at := bytes.Index(doc, []byte(resourcesKey))
	if at < 0 || r.Resources == nil {
		// No resources to stream (or no field to splice them into).
		_, err := bw.Write(doc)
		if err == nil {
			err = bw.Flush()
		}
		return err
	}
	at += len(resourcesKey) - len("null")
	if _, err := bw.Write(doc[:at]); err != nil {
		return err
	}
	if len(r.Resources) == 0 {
		bw.WriteString("[]")
	} else {
		bw.WriteString("[\n")
		// Each element as the encoder indents it: four spaces in, its
		// fields two more (resourceJSON).
		var one []byte
		for i := range r.Resources {
			var err error
			if one, err = resourceJSON(one[:0], &r.Resources[i]); err != nil {
				return err
			}
			bw.WriteString("    ")
			bw.Write(one)
			if i < len(r.Resources)-1 {
				bw.WriteString(",")
			}
			bw.WriteString("\n")
		}
		bw.WriteString("  ]")
	}
	if _, err := bw.Write(doc[at+len("null"):]); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteText writes the report for people: the OU tree, the customers table,
// resource counts by type (in total and per customer) and the SCP
// attachment matrix.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	s := r.Summary
	fmt.Fprintf(bw, "Tierzone plan: stack %s, %d customers, %d resources (%d cloud resources, %d components, %d providers), %s/month\n",
		s.Stack, s.Customers, s.Resources, s.CustomResources, s.Components, s.Providers, usd(s.MonthlyPriceUSD))
	fmt.Fprintln(bw, "Offline: the program ran against the Pulumi SDK's mock monitor; ids are placeholders AWS will assign.")

	section(bw, "OU tree")
	r.writeTree(bw)
	section(bw, "Customers")
	r.writeCustomers(bw)
	section(bw, "Resources by type")
	r.writeTypes(bw)
	section(bw, "Resources per customer")
	r.writePerCustomer(bw)
	section(bw, "SCP attachments (policy by OU)")
	r.writeMatrix(bw)
	section(bw, "Tag and backup policies")
	r.writeManagementPolicies(bw)
	section(bw, "Account baseline (in each customer account)")
	r.writeBaselines(bw)
	section(bw, "Dashboards (CloudWatch)")
	r.writeDashboards(bw)
	section(bw, "Access (IAM Identity Center)")
	r.writeAccess(bw)
	section(bw, "Shield Advanced")
	r.writeShield(bw)
	section(bw, "Network hub (Transit Gateway, IPAM)")
	r.writeHub(bw)
	if r.Controls != nil {
		section(bw, "Controls per customer (its own frameworks only)")
		r.writeControls(bw)
	}
	if err := r.writeBusiness(bw); err != nil {
		return fmt.Errorf("write plan: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write plan: %w", err)
	}
	return nil
}

func section(w io.Writer, title string) {
	fmt.Fprintf(w, "\n%s\n%s\n", title, strings.Repeat("=", len(title)))
}

func (r *Report) writeTree(w io.Writer) {
	cidr := map[string]string{}
	for _, c := range r.Customers {
		cidr[c.Key] = c.VPCCIDR
	}
	fmt.Fprintf(w, "Organization root %s\n", r.Summary.OrganizationRootID)
	ous := r.Summary.OUs
	for i, ou := range ous {
		if ou.ParentOU != "" {
			continue
		}
		fmt.Fprintf(w, "\n%s OU\n", ou.Name)
		// The tier OU's segment OUs follow it, then its own customers.
		var segs []OU
		for _, s := range ous[i+1:] {
			if s.ParentOU != ou.Name {
				break
			}
			segs = append(segs, s)
		}
		if len(ou.Customers) == 0 && len(segs) == 0 {
			fmt.Fprintln(w, "└─ (no customers in this stack)")
		}
		for j, s := range segs {
			branch, indent := "├─", "│  "
			if j == len(segs)-1 && len(ou.Customers) == 0 {
				branch, indent = "└─", "   "
			}
			fmt.Fprintf(w, "%s %s OU (segment %s)\n", branch, s.Name, s.Segment)
			for k, c := range s.Customers {
				b := "├─"
				if k == len(s.Customers)-1 {
					b = "└─"
				}
				fmt.Fprintf(w, "%s%s %s (%s)\n", indent, b, c, cidr[c])
			}
		}
		for j, k := range ou.Customers {
			branch := "├─"
			if j == len(ou.Customers)-1 {
				branch = "└─"
			}
			fmt.Fprintf(w, "%s %s (%s)\n", branch, k, cidr[k])
		}
	}
}

func (r *Report) writeCustomers(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tNAME\tTIER\tFRAMEWORKS\tVPC CIDR\tSUBNETS\tNAT\tVPN\tFLOW LOGS (HOT / ARCHIVE)\tPRICE/MONTH")
	for _, c := range r.Customers {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			c.Key, c.Name, c.Tier, strings.Join(c.Frameworks, "+"), c.VPCCIDR, subnetSummary(c.Subnets),
			yesNo(c.NATGateway), yesNo(c.VPNGateway),
			fmt.Sprintf("%d d / %d d", c.FlowLogs.HotDays, c.FlowLogs.ArchiveDays), usd(c.MonthlyPriceUSD))
	}
	fmt.Fprintf(tw, "TOTAL\t%d customers\t\t\t\t\t\t\t\t%s\n", len(r.Customers), usd(r.Summary.MonthlyPriceUSD))
	tw.Flush()
}

// subnetSummary is "1 public, 2 private: 10.0.0.0/24 10.0.1.0/24 ...".
func subnetSummary(ss []Subnet) string {
	count := map[string]int{}
	var roles, cidrs []string
	for _, s := range ss {
		if count[s.Role] == 0 {
			roles = append(roles, s.Role)
		}
		count[s.Role]++
		cidrs = append(cidrs, s.CIDR)
	}
	parts := make([]string, 0, len(roles))
	for _, role := range roles {
		parts = append(parts, fmt.Sprintf("%d %s", count[role], role))
	}
	return strings.Join(parts, ", ") + ": " + strings.Join(cidrs, " ")
}

func (r *Report) writeTypes(w io.Writer) {
	types := sortedKeys(r.Summary.ResourcesByType)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TYPE\t SHARED\t CUSTOMERS\t TOTAL")
	for _, t := range types {
		total, shared := r.Summary.ResourcesByType[t], r.Summary.SharedResourcesByType[t]
		fmt.Fprintf(tw, "%s\t%7d\t%10d\t%6d\n", t, shared, total-shared, total)
	}
	shared := 0
	for _, n := range r.Summary.SharedResourcesByType {
		shared += n
	}
	fmt.Fprintf(tw, "TOTAL\t%7d\t%10d\t%6d\n", shared, r.Summary.Resources-shared, r.Summary.Resources)
	tw.Flush()
}

func (r *Report) writePerCustomer(w io.Writer) {
	width := 0
	for _, c := range r.Customers {
		width = max(width, len(c.Key))
	}
	for _, c := range r.Customers {
		types := sortedKeys(c.ResourcesByType)
		sort.SliceStable(types, func(i, j int) bool { return ShortType(types[i]) < ShortType(types[j]) })
		parts := make([]string, 0, len(types))
		for _, t := range types {
			parts = append(parts, fmt.Sprintf("%s %d", ShortType(t), c.ResourcesByType[t]))
		}
		prefix := fmt.Sprintf("%-*s %4d: ", width, c.Key, c.Resources)
		writeWrapped(w, prefix, parts, 110)
	}
}

// writeWrapped writes prefix and the comma-separated parts, wrapping lines
// at limit and indenting continuation lines under the first part.
func writeWrapped(w io.Writer, prefix string, parts []string, limit int) {
	line := prefix
	indent := strings.Repeat(" ", len(prefix))
	for i, p := range parts {
		if i < len(parts)-1 {
			p += ","
		}
		if len(line)+len(p)+1 > limit && line != prefix && line != indent {
			fmt.Fprintln(w, strings.TrimRight(line, " "))
			line = indent
		}
		line += p + " "
	}
	fmt.Fprintln(w, strings.TrimRight(line, " "))
}

// ShortType shortens a type token for the per-customer breakdown:
// "aws:ec2/subnet:Subnet" is "ec2.Subnet", "pulumi:providers:aws" is
// "provider.aws", "tierzone:network:CustomerVPC" is "network.CustomerVPC".
func ShortType(t string) string {
	parts := strings.SplitN(t, ":", 3)
	if len(parts) != 3 {
		return t
	}
	if parts[0] == "pulumi" && parts[1] == "providers" {
		return "provider." + parts[2]
	}
	module, _, _ := strings.Cut(parts[1], "/")
	return module + "." + parts[2]
}

func (r *Report) writeMatrix(w io.Writer) {
	s := r.Summary
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := []string{"POLICY", "CHARACTERS"}
	for _, ou := range s.OUs {
		header = append(header, ou.Name)
	}
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, p := range s.Policies {
		name, chars := p.Name, fmt.Sprintf("%d/%d", p.Characters, s.SCPMaxChars)
		if p.AWSManaged {
			name += " (AWS-managed)"
			chars = "-"
		}
		row := []string{name, chars}
		attached := map[string]bool{}
		for _, o := range p.AttachedTo {
			attached[o] = true
		}
		for _, ou := range s.OUs {
			mark := "·"
			if attached[ou.Name] {
				mark = "✓"
			}
			row = append(row, mark)
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	row := []string{"attached / quota", ""}
	for _, ou := range s.OUs {
		row = append(row, fmt.Sprintf("%d/%d", len(ou.Policies), s.SCPMaxAttachments))
	}
	fmt.Fprintln(tw, strings.Join(row, "\t"))
	tw.Flush()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// usd formats whole dollars with thousands separators: $25,000.
func usd(n int) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + "$" + s
}

// writeControls renders the control report: per customer, one line per
// control with its requirement ids by framework and Security Hub ids, then
// its source.
func (r *Report) writeControls(w io.Writer) {
	for i, cc := range r.Controls {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s (%s: %s), %d controls\n", cc.Customer, cc.Tier, strings.Join(cc.Frameworks, "+"), len(cc.Controls))
		for _, c := range cc.Controls {
			parts := cc.Requirements(c)
			fmt.Fprintf(w, "  %-38s %s\n", c.ID, c.Title)
			fmt.Fprintf(w, "  %-38s %s\n", "", strings.Join(parts, "; "))
			fmt.Fprintf(w, "  %-38s source: %s\n", "", c.Source)
		}
	}
}

func (r *Report) writeManagementPolicies(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "POLICY\tTYPE\tCHARACTERS\tATTACHED TO")
	for _, p := range r.Summary.ManagementPolicies {
		limit := components.MaxTagPolicyChars
		if p.Type == "BACKUP_POLICY" {
			limit = components.MaxBackupPolicyChars
		}
		fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%s\n", p.Name, p.Type, p.Characters, limit, strings.Join(p.AttachedTo, ", "))
	}
	tw.Flush()
}

// writeBaselines renders each customer account's baseline, then the
// default VPCs the operator deletes.
func (r *Report) writeBaselines(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tEBS DEFAULT\tS3 ACCOUNT BLOCK\tPASSWORD (LEN/REUSE/MAX AGE)\tACCESS ANALYZER\tBACKUP (VAULT, RULE, LOCK)")
	for _, c := range r.Customers {
		b := c.Baseline
		ebs := "off"
		if b.EBSEncryptionByDefault {
			ebs = "on, aws/ebs"
			if b.EBSCustomerKey {
				ebs = "on, own key"
			}
		}
		pw := "none"
		if p := b.PasswordPolicy; p != nil {
			age := "never"
			if p.MaxAgeDays > 0 {
				age = fmt.Sprintf("%d d", p.MaxAgeDays)
			}
			pw = fmt.Sprintf("%d/%d/%s", p.MinimumLength, p.ReusePrevention, age)
		}
		backup := "none"
		if b.BackupVault != "" {
			backup = fmt.Sprintf("%s, %s %d d", b.BackupVault, b.Backup.Frequency, b.Backup.RetentionDays)
			if b.VaultLock != "" {
				backup += fmt.Sprintf(", %s %d d", b.VaultLock, b.VaultLockDays)
			}
		}
		analyzer := b.AccessAnalyzer
		if analyzer == "" {
			analyzer = "none"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Key, ebs, allFour(b.S3PublicAccessBlock), pw, analyzer, backup)
	}
	tw.Flush()
	regions := map[string][]string{}
	var order []string
	for _, c := range r.Customers {
		for _, reg := range c.Baseline.DefaultVPCRegions {
			if _, ok := regions[reg]; !ok {
				order = append(order, reg)
			}
			regions[reg] = append(regions[reg], c.Key)
		}
	}
	if len(order) > 0 {
		fmt.Fprintln(w, "\nDefault VPCs to delete (AWS creates one per region in every new account; see the README's account baseline):")
		for _, reg := range order {
			writeWrapped(w, fmt.Sprintf("  %-14s ", reg), regions[reg], 110)
		}
	}
}

func allFour(b bool) string {
	if b {
		return "all four"
	}
	return "incomplete"
}
