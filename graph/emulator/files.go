package emulator

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Real, deterministic files for the demo mailbox's attachments: one-page PDFs, a PNG chart and
// a large CSV export, each made by a few lines of code rather than stored.

// makePDF returns a valid one-page PDF (Helvetica, WinAnsi) with a title and lines of text.
func makePDF(title string, lines ...string) []byte {
	var content strings.Builder
	fmt.Fprintf(&content, "BT /F1 18 Tf 56 780 Td (%s) Tj ET\n", pdfText(title))
	y := 748
	for _, l := range lines {
		fmt.Fprintf(&content, "BT /F1 11 Tf 56 %d Td (%s) Tj ET\n", y, pdfText(l))
		y -= 16
	}
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Length " + strconv.Itoa(content.Len()) + " >>\nstream\n" + content.String() + "endstream",
		"<< /Title (" + pdfText(title) + ") /Producer (Contoso demo) >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, len(objects), xref)
	return b.Bytes()
}

// pdfText escapes s for a PDF string in WinAnsiEncoding.
func pdfText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r >= 0xa0 && r <= 0xff:
			b.WriteString(fmt.Sprintf("\\%03o", r))
		case r == '–':
			b.WriteString("\\226")
		case r == '—':
			b.WriteString("\\227")
		case r == '€':
			b.WriteString("\\200")
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// chartPNG is a small bar chart, the inline image of the demo's case study draft.
var chartPNG = sync.OnceValue(func() []byte {
	const w, h = 240, 120
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	white := color.NRGBA{255, 255, 255, 255}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, white)
		}
	}
	axis := color.NRGBA{96, 96, 96, 255}
	for x := 16; x < w-8; x++ {
		img.Set(x, h-16, axis)
	}
	for y := 8; y < h-16; y++ {
		img.Set(16, y, axis)
	}
	bars := []int{38, 52, 61, 70, 84, 92} // order processing, weeks 1–6 (% faster)
	colors := []color.NRGBA{{0, 120, 212, 255}, {0, 99, 177, 255}}
	for i, v := range bars {
		x0 := 28 + i*34
		for x := x0; x < x0+24; x++ {
			for y := h - 17; y > h-17-v; y-- {
				img.Set(x, y, colors[i%2])
			}
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
})

// demoCSVSize is the size of the demo's large CSV export: over the 3 MB a POST takes, so a client
// attaching it must use an upload session.
const demoCSVSize = 3_482_917

// budgetCSV returns a deterministic CSV ledger export of exactly n bytes.
func budgetCSV(n int) []byte {
	b := make([]byte, 0, n)
	b = append(b, "date,cost_centre,category,region,vendor,amount_eur\r\n"...)
	centres := []string{"CC-1100 Marketing", "CC-2300 Support", "CC-3100 Engineering", "CC-4200 Sales", "CC-5000 Facilities"}
	categories := []string{"Events", "Cloud", "Contractors", "Travel", "Licences", "Hardware", "Training"}
	regions := []string{"EMEA", "APAC", "AMER"}
	vendors := []string{"Fabrikam", "Northwind Traders", "Tailspin Toys", "Litware", "Adventure Works", "Wide World Importers"}
	start := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	var line []byte
	for i := uint64(0); ; i++ {
		x := mix(i + 0x51ab)
		line = line[:0]
		line = start.AddDate(0, 0, int(i%92)).AppendFormat(line, "2006-01-02")
		line = append(line, ',')
		line = append(line, centres[x%5]...)
		line = append(line, ',')
		line = append(line, categories[(x>>8)%7]...)
		line = append(line, ',')
		line = append(line, regions[(x>>16)%3]...)
		line = append(line, ',')
		line = append(line, vendors[(x>>24)%6]...)
		line = append(line, ',')
		cents := (x >> 32) % 2_500_000
		line = strconv.AppendUint(line, cents/100, 10)
		line = append(line, '.', byte('0'+cents/10%10), byte('0'+cents%10), '\r', '\n')
		if len(b)+len(line)+48 > n {
			break
		}
		b = append(b, line...)
	}
	// The last row pads the export to exactly n bytes.
	tail := "TOTAL,,,,,see summary sheet"
	b = append(b, tail...)
	for len(b) < n-2 {
		b = append(b, ' ')
	}
	return append(b, '\r', '\n')[:n]
}
