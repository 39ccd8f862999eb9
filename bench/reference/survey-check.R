# Reference numbers for Spotcheck's estimator (shared/estimate.ts, estimateStrata) from R's
# survey package, on fixed data sets made here with a fixed seed. Run from the repository root:
#
#   Rscript bench/reference/survey-check.R
#
# It writes bench/reference/survey-reference.json: the rows of every data set, and survey's
# svymean estimate and standard error for each domain. test/design/survey-reference.test.ts
# checks the estimator against those numbers (CI does not need R).
# Debian: apt-get install -y r-cran-survey r-cran-jsonlite
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
set.seed(20261111)

score <- function(n, mean) pmin(5, pmax(1, round(rnorm(n, mean, 0.9))))
rates <- c(voice = 0.06, chat = 0.06, email = 0.10, sms = 0.20)
means <- c(voice = 3.5, chat = 3.9, email = 2.6, sms = 3.1)

# Closed agent-weeks the floor topped up: strata of fixed size n_g out of N_g, with unequal
# weights by channel inside a stratum (1/pi), some N/A (NA).
fixed_rows <- function(strata) {
  do.call(rbind, lapply(seq_len(strata), function(g) {
    n <- sample(2:5, 1)
    N <- sample(6:40, 1)
    channel <- sample(names(rates)[1:3], n, replace = TRUE)
    w <- round(N / n * (0.06 / rates[channel]) * runif(n, 0.8, 1.25), 4)
    x <- score(n, means[channel] + rnorm(1, 0, 0.4))
    x[runif(n) < 0.1] <- NA
    data.frame(stratum = sprintf("aw%02d", g), channel = channel, x = x, w = w, N = N)
  }))
}

# Agent-weeks whose random draw made the sample: Poisson sampling, w = 1/rate.
poisson_rows <- function(n) {
  channel <- sample(names(rates), n, replace = TRUE)
  x <- score(n, means[channel])
  x[runif(n) < 0.08] <- NA
  data.frame(stratum = sprintf("p%03d", seq_len(n)), channel = channel, x = x,
             w = 1 / rates[channel], pi = rates[channel])
}

domains <- function(rows) c("all", sort(unique(rows$channel)))

estimate <- function(design, rows, domain) {
  d <- if (domain == "all") design else subset(design, channel == domain)
  m <- svymean(~x, d, na.rm = TRUE)
  in_domain <- !is.na(rows$x) & (domain == "all" | rows$channel == domain)
  list(domain = domain, estimate = unname(coef(m)), se = unname(SE(m)[1]),
       reviews = sum(in_domain))
}

datasets <- list()
for (k in 1:3) {
  rows <- fixed_rows(8 + 4 * k)
  design <- svydesign(ids = ~1, strata = ~stratum, weights = ~w, fpc = ~N, data = rows)
  datasets[[length(datasets) + 1]] <- list(
    name = sprintf("fixed-%d", k), design = "fixed",
    call = "svydesign(ids = ~1, strata = ~stratum, weights = ~w, fpc = ~N)",
    rows = rows,
    results = lapply(domains(rows), function(dom) estimate(design, rows, dom)))
}
for (k in 1:2) {
  rows <- poisson_rows(30 + 20 * k)
  design <- svydesign(ids = ~1, probs = ~pi, pps = poisson_sampling(rows$pi), data = rows)
  datasets[[length(datasets) + 1]] <- list(
    name = sprintf("poisson-%d", k), design = "poisson",
    call = "svydesign(ids = ~1, probs = ~pi, pps = poisson_sampling(pi))",
    rows = rows,
    results = lapply(domains(rows), function(dom) estimate(design, rows, dom)))
}

out <- list(
  generatedBy = "bench/reference/survey-check.R",
  survey = as.character(packageVersion("survey")),
  R = R.version.string,
  datasets = datasets,
  tQuantiles = lapply(c(1, 2, 3, 4, 5, 7.5, 10, 20, 50, 200),
                      function(df) list(df = df, q975 = qt(0.975, df))))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", na = "null", pretty = TRUE),
           "bench/reference/survey-reference.json")
cat("wrote bench/reference/survey-reference.json\n")
