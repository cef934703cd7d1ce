// SVG charts for the build report: a Pareto scatter (latency vs energy, colour = resource share),
// per-layer latency/energy bars, and per-layer stacked bars of each block's share of the layer's
// energy. Pure string building with fixed-precision numbers, so the same data always gives the same
// bytes. Axes switch to log scale when the data spans more than a factor of 10. Cost O(points +
// layers x blocks).

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "dnnchip/report/Report.h"

namespace dnnchip::report {

namespace {

std::string num(double v, int prec = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}

/// Engineering notation with a unit: 1.23 ms, 45.6 uJ.
std::string eng(double v, const char* unit) {
  static const char* prefixes[] = {"p", "n", "u", "m", "", "k", "M", "G", "T"};
  if (v == 0) return "0 " + std::string(unit);
  int e = static_cast<int>(std::floor(std::log10(std::fabs(v)) / 3.0));
  e = std::clamp(e, -4, 4);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g %s%s", v / std::pow(10.0, 3 * e), prefixes[e + 4], unit);
  return buf;
}

struct Axis {
  double lo = 0, hi = 1;
  bool log = false;
  double map(double v, double a, double b) const {
    double t = log ? (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) : (v - lo) / (hi - lo);
    if (!std::isfinite(t)) t = 0.5;
    return a + t * (b - a);
  }
};

Axis makeAxis(double lo, double hi) {
  Axis ax;
  if (lo <= 0 || hi <= 0) {
    ax.lo = std::min(0.0, lo);
    ax.hi = hi > ax.lo ? hi : ax.lo + 1;
    return ax;
  }
  ax.log = hi / lo > 10.0;
  if (ax.log) {
    ax.lo = std::pow(10.0, std::floor(std::log10(lo)));
    ax.hi = std::pow(10.0, std::ceil(std::log10(hi)));
    if (ax.hi <= ax.lo) ax.hi = ax.lo * 10;
  } else {
    double pad = (hi - lo) * 0.1 + hi * 0.02;
    ax.lo = std::max(0.0, lo - pad);
    ax.hi = hi + pad;
  }
  return ax;
}

/// Resource share 0..1 to a colour from green through amber to red.
std::string shareColour(double s) {
  s = std::clamp(s, 0.0, 1.0);
  int r = static_cast<int>(40 + 200 * s), g = static_cast<int>(170 - 110 * s), b = 60;
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
  return buf;
}

}  // namespace

std::string escapeXml(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string paretoSvg(const std::vector<ParetoPoint>& pts) {
  const double W = 640, H = 400, L = 80, R = 20, T = 20, B = 60;
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pareto\" width=\"" + num(W, 0) +
                  "\" height=\"" + num(H, 0) + "\" viewBox=\"0 0 " + num(W, 0) + " " + num(H, 0) +
                  "\" role=\"img\" aria-label=\"Pareto front: latency against energy\">\n";
  s += "<rect x=\"0\" y=\"0\" width=\"" + num(W, 0) + "\" height=\"" + num(H, 0) + "\" fill=\"#ffffff\"/>\n";
  if (pts.empty()) {
    s += "<text x=\"" + num(W / 2, 0) + "\" y=\"" + num(H / 2, 0) + "\" text-anchor=\"middle\">no designs</text>\n</svg>";
    return s;
  }
  double xl = 1e300, xh = -1e300, yl = 1e300, yh = -1e300;
  for (auto& p : pts) {
    xl = std::min(xl, p.latencyS); xh = std::max(xh, p.latencyS);
    yl = std::min(yl, p.energyJ); yh = std::max(yh, p.energyJ);
  }
  Axis ax = makeAxis(xl, xh), ay = makeAxis(yl, yh);
  // Frame, ticks and labels.
  s += "<g stroke=\"#444\" stroke-width=\"1\" fill=\"none\"><rect x=\"" + num(L, 0) + "\" y=\"" + num(T, 0) +
       "\" width=\"" + num(W - L - R, 0) + "\" height=\"" + num(H - T - B, 0) + "\"/></g>\n";
  auto ticks = [](const Axis& a) {
    std::vector<double> t;
    if (a.log) {
      for (double v = a.lo; v <= a.hi * 1.0001; v *= 10) t.push_back(v);
    } else {
      for (int i = 0; i <= 4; ++i) t.push_back(a.lo + (a.hi - a.lo) * i / 4.0);
    }
    return t;
  };
  s += "<g font-family=\"sans-serif\" font-size=\"11\" fill=\"#333\">\n";
  for (double v : ticks(ax)) {
    double x = ax.map(v, L, W - R);
    s += "<line x1=\"" + num(x, 1) + "\" y1=\"" + num(H - B, 1) + "\" x2=\"" + num(x, 1) + "\" y2=\"" + num(H - B + 5, 1) +
         "\" stroke=\"#444\"/><text x=\"" + num(x, 1) + "\" y=\"" + num(H - B + 18, 1) + "\" text-anchor=\"middle\">" +
         escapeXml(eng(v, "s")) + "</text>\n";
  }
  for (double v : ticks(ay)) {
    double y = ay.map(v, H - B, T);
    s += "<line x1=\"" + num(L - 5, 1) + "\" y1=\"" + num(y, 1) + "\" x2=\"" + num(L, 1) + "\" y2=\"" + num(y, 1) +
         "\" stroke=\"#444\"/><text x=\"" + num(L - 8, 1) + "\" y=\"" + num(y + 4, 1) + "\" text-anchor=\"end\">" +
         escapeXml(eng(v, "J")) + "</text>\n";
  }
  s += "<text x=\"" + num((L + W - R) / 2, 1) + "\" y=\"" + num(H - 15, 1) + "\" text-anchor=\"middle\">latency per inference" +
       std::string(ax.log ? " (log)" : "") + "</text>\n";
  s += "<text transform=\"translate(16," + num((T + H - B) / 2, 1) + ") rotate(-90)\" text-anchor=\"middle\">energy per inference" +
       std::string(ay.log ? " (log)" : "") + "</text>\n</g>\n";
  // Points: chosen last so it is drawn on top.
  s += "<g class=\"points\">\n";
  for (int pass = 0; pass < 2; ++pass) {
    for (auto& p : pts) {
      if (p.chosen != (pass == 1)) continue;
      double x = ax.map(p.latencyS, L, W - R), y = ay.map(p.energyJ, H - B, T);
      s += "<circle class=\"point\" cx=\"" + num(x, 1) + "\" cy=\"" + num(y, 1) + "\" r=\"" + (p.chosen ? "7" : "5") +
           "\" fill=\"" + shareColour(p.resourceShare) + "\" stroke=\"" + (p.chosen ? "#000" : "#fff") +
           "\" stroke-width=\"" + (p.chosen ? "2.5" : "1") + "\"><title>" +
           escapeXml(p.id + ": " + eng(p.latencyS, "s") + ", " + eng(p.energyJ, "J") + ", resources " +
                     num(100 * p.resourceShare, 1) + "%" + (p.chosen ? " (chosen)" : "")) +
           "</title></circle>\n";
    }
  }
  s += "</g>\n</svg>";
  return s;
}

std::string convergenceSvg(const std::vector<ConvergenceRow>& pts, const std::string& objective) {
  const double W = 640, H = 300, L = 80, R = 20, T = 20, B = 50;
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"convergence\" width=\"" + num(W, 0) +
                  "\" height=\"" + num(H, 0) + "\" viewBox=\"0 0 " + num(W, 0) + " " + num(H, 0) +
                  "\" role=\"img\" aria-label=\"Search convergence: best objective against mapping evaluations\">\n";
  s += "<rect x=\"0\" y=\"0\" width=\"" + num(W, 0) + "\" height=\"" + num(H, 0) + "\" fill=\"#ffffff\"/>\n";
  double yl = 1e300, yh = -1e300, xh = 0;
  for (auto& p : pts) {
    xh = std::max(xh, static_cast<double>(p.evaluations));
    if (!p.cost) continue;
    yl = std::min(yl, *p.cost);
    yh = std::max(yh, *p.cost);
  }
  if (yl > yh) {
    s += "<text x=\"" + num(W / 2, 0) + "\" y=\"" + num(H / 2, 0) + "\" text-anchor=\"middle\">no feasible design</text>\n</svg>";
    return s;
  }
  // x: log10(evaluations + 1) from 0 to the next decade; y: the costs (log above a decade).
  const double decades = std::max(1.0, std::ceil(std::log10(xh + 1)));
  auto xOf = [&](int64_t e) { return L + (W - L - R) * std::log10(static_cast<double>(e) + 1) / decades; };
  Axis ay = makeAxis(yl, yh);
  if (!ay.log && ay.lo == ay.hi) ay.hi = ay.lo + 1;
  s += "<g stroke=\"#444\" stroke-width=\"1\" fill=\"none\"><rect x=\"" + num(L, 0) + "\" y=\"" + num(T, 0) +
       "\" width=\"" + num(W - L - R, 0) + "\" height=\"" + num(H - T - B, 0) + "\"/></g>\n";
  s += "<g font-family=\"sans-serif\" font-size=\"11\" fill=\"#333\">\n";
  for (int d = 0; d <= static_cast<int>(decades); ++d) {
    const double x = L + (W - L - R) * d / decades;
    char label[16];
    std::snprintf(label, sizeof label, d == 0 ? "0" : "1e%d", d);
    s += "<line x1=\"" + num(x, 1) + "\" y1=\"" + num(H - B, 1) + "\" x2=\"" + num(x, 1) + "\" y2=\"" + num(H - B + 5, 1) +
         "\" stroke=\"#444\"/><text x=\"" + num(x, 1) + "\" y=\"" + num(H - B + 18, 1) + "\" text-anchor=\"middle\">" + label +
         "</text>\n";
  }
  std::vector<double> yt;
  if (ay.log)
    for (double v = ay.lo; v <= ay.hi * 1.0001; v *= 10) yt.push_back(v);
  else
    for (int i = 0; i <= 4; ++i) yt.push_back(ay.lo + (ay.hi - ay.lo) * i / 4.0);
  for (double v : yt) {
    const double y = ay.map(v, H - B, T);
    char label[32];
    std::snprintf(label, sizeof label, "%.4g", v);
    s += "<line x1=\"" + num(L - 5, 1) + "\" y1=\"" + num(y, 1) + "\" x2=\"" + num(L, 1) + "\" y2=\"" + num(y, 1) +
         "\" stroke=\"#444\"/><text x=\"" + num(L - 8, 1) + "\" y=\"" + num(y + 4, 1) + "\" text-anchor=\"end\">" + label +
         "</text>\n";
  }
  s += "<text x=\"" + num((L + W - R) / 2, 1) + "\" y=\"" + num(H - 12, 1) +
       "\" text-anchor=\"middle\">mapping evaluations (log of evaluations + 1)</text>\n";
  s += "<text transform=\"translate(16," + num((T + H - B) / 2, 1) + ") rotate(-90)\" text-anchor=\"middle\">" +
       escapeXml(objective) + std::string(ay.log ? " (log)" : "") + "</text>\n</g>\n";
  // Step line through the points with a cost, then the points (stage 1 grey, re-rank amber, stage 2 blue).
  std::string path;
  for (auto& p : pts) {
    if (!p.cost) continue;
    const double x = xOf(p.evaluations), y = ay.map(*p.cost, H - B, T);
    path += path.empty() ? "M" + num(x, 1) + " " + num(y, 1) : " H" + num(x, 1) + " V" + num(y, 1);
  }
  s += "<path d=\"" + path + "\" fill=\"none\" stroke=\"#3a7bd5\" stroke-width=\"1.5\"/>\n<g class=\"points\">\n";
  for (auto& p : pts) {
    if (!p.cost) continue;
    const char* colour = p.stage == "stage 1" ? "#7f8c8d" : p.stage == "re-rank" ? "#e08a1e" : "#3a7bd5";
    char value[32];
    std::snprintf(value, sizeof value, "%.6g", *p.cost);
    s += "<circle cx=\"" + num(xOf(p.evaluations), 1) + "\" cy=\"" + num(ay.map(*p.cost, H - B, T), 1) + "\" r=\"4\" fill=\"" +
         colour + "\"><title>" + escapeXml(p.stage + ": " + std::to_string(p.evaluations) + " evaluations, " + value) +
         "</title></circle>\n";
  }
  s += "</g>\n</svg>";
  return s;
}

std::string layerBarsSvg(const std::vector<LayerRow>& layers) {
  const double rowH = 18, labelW = 170, barW = 220, gap = 40, top = 28;
  const double W = labelW + 2 * barW + gap + 120;
  const double H = top + rowH * static_cast<double>(layers.size()) + 10;
  double maxC = 0, maxE = 0;
  for (auto& l : layers) { maxC = std::max(maxC, l.cycles); maxE = std::max(maxE, l.energyPj); }
  if (maxC <= 0) maxC = 1;
  if (maxE <= 0) maxE = 1;
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"layers\" width=\"" + num(W, 0) + "\" height=\"" +
                  num(H, 0) + "\" viewBox=\"0 0 " + num(W, 0) + " " + num(H, 0) +
                  "\" role=\"img\" aria-label=\"Per-layer latency and energy\">\n"
                  "<g font-family=\"sans-serif\" font-size=\"11\" fill=\"#333\">\n";
  s += "<text x=\"" + num(labelW, 0) + "\" y=\"14\">latency (cycles)</text><text x=\"" + num(labelW + barW + gap, 0) +
       "\" y=\"14\">energy</text>\n";
  for (size_t i = 0; i < layers.size(); ++i) {
    const auto& l = layers[i];
    double y = top + rowH * static_cast<double>(i);
    double wc = barW * l.cycles / maxC, we = barW * l.energyPj / maxE;
    std::string colour = l.bound == "compute" ? "#3a7bd5" : "#e08a1e";
    s += "<text x=\"" + num(labelW - 6, 0) + "\" y=\"" + num(y + 12, 1) + "\" text-anchor=\"end\">" + escapeXml(l.name) + "</text>";
    s += "<rect x=\"" + num(labelW, 0) + "\" y=\"" + num(y + 3, 1) + "\" width=\"" + num(wc, 1) + "\" height=\"12\" fill=\"" +
         colour + "\"><title>" + escapeXml(l.name + ": " + num(l.cycles, 0) + " cycles, bound by " + l.bound) + "</title></rect>";
    s += "<rect x=\"" + num(labelW + barW + gap, 0) + "\" y=\"" + num(y + 3, 1) + "\" width=\"" + num(we, 1) +
         "\" height=\"12\" fill=\"#6a9a3a\"><title>" + escapeXml(l.name + ": " + eng(l.energyPj * 1e-12, "J")) + "</title></rect>";
    s += "<text x=\"" + num(labelW + 2 * barW + gap + 6, 0) + "\" y=\"" + num(y + 12, 1) + "\">" + escapeXml(l.bound) + "</text>\n";
  }
  s += "</g>\n</svg>";
  return s;
}

std::string blockShareSvg(const std::vector<LayerRow>& layers, const LayerBreakdown& b) {
  static const char* kColours[] = {"#3a7bd5", "#e08a1e", "#6a9a3a", "#c62828", "#8e44ad",
                                   "#16a085", "#7f8c8d", "#d4ac0d", "#2c3e50", "#e84393"};
  const size_t nColours = sizeof kColours / sizeof kColours[0];
  const double rowH = 18, labelW = 170, barW = 440, top = 28;
  const double W = labelW + barW + 20;
  const double H = top + rowH * static_cast<double>(layers.size()) + 10;
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"block-shares\" width=\"" + num(W, 0) +
                  "\" height=\"" + num(H, 0) + "\" viewBox=\"0 0 " + num(W, 0) + " " + num(H, 0) +
                  "\" role=\"img\" aria-label=\"Share of each block in each layer's energy\">\n"
                  "<g font-family=\"sans-serif\" font-size=\"11\" fill=\"#333\">\n";
  // Legend: one swatch per block, in the table's column order.
  double lx = labelW;
  for (size_t k = 0; k < b.blocks.size(); ++k) {
    s += "<rect x=\"" + num(lx, 0) + "\" y=\"4\" width=\"10\" height=\"10\" fill=\"" + kColours[k % nColours] +
         "\"/><text x=\"" + num(lx + 13, 0) + "\" y=\"13\">" + escapeXml(b.blocks[k]) + "</text>";
    lx += 20 + 6.5 * static_cast<double>(b.blocks[k].size());
  }
  s += "\n";
  for (size_t i = 0; i < layers.size() && i < b.layers.size(); ++i) {
    double y = top + rowH * static_cast<double>(i), x = labelW;
    s += "<text x=\"" + num(labelW - 6, 0) + "\" y=\"" + num(y + 12, 1) + "\" text-anchor=\"end\">" +
         escapeXml(layers[i].name) + "</text>";
    for (size_t k = 0; k < b.blocks.size() && k < b.layers[i].blockShare.size(); ++k) {
      const double share = std::clamp(b.layers[i].blockShare[k], 0.0, 1.0), w = barW * share;
      if (w <= 0) continue;
      s += "<rect x=\"" + num(x, 1) + "\" y=\"" + num(y + 3, 1) + "\" width=\"" + num(w, 1) +
           "\" height=\"12\" fill=\"" + kColours[k % nColours] + "\"><title>" +
           escapeXml(layers[i].name + ": " + b.blocks[k] + " " + num(100 * share, 1) + "%") + "</title></rect>";
      x += w;
    }
    s += "\n";
  }
  s += "</g>\n</svg>";
  return s;
}

}  // namespace dnnchip::report
