package dev.batchwise.loss;

/**
 * Per-element loss formulas and their analytic derivatives in double precision, shared by the CPU
 * kernels (the CUDA kernels in {@code loss.cu} implement the same expressions). Each
 * {@code …Grad} method returns the derivative of the matching value method.
 */
final class LossMath {
    /** mmdetection's eps inside the logs of GaussianFocalLoss. */
    static final double GAUSSIAN_EPS = 1e-12;
    /** mmdet3d {@code clip_sigmoid} bounds. */
    static final double CLIP_EPS = 1e-4;

    private LossMath() {}

    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** {@code log(1 + exp(x))} without overflow. */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    static double pow(double b, double e) {
        return e == 2.0 ? b * b : Math.pow(b, e);
    }

    /** Sigmoid focal loss of one logit with a 0/1 target (mmdet {@code py_sigmoid_focal_loss}). */
    static double focal(double x, boolean positive, double alpha, double gamma) {
        if (positive) {
            return alpha * pow(sigmoid(-x), gamma) * softplus(-x);
        }
        return (1 - alpha) * pow(sigmoid(x), gamma) * softplus(x);
    }

    static double focalGrad(double x, boolean positive, double alpha, double gamma) {
        double p = sigmoid(x);
        double q = sigmoid(-x);
        if (positive) {
            return -alpha * pow(q, gamma) * (gamma * p * softplus(-x) + q);
        }
        return (1 - alpha) * pow(p, gamma) * (gamma * q * softplus(x) + p);
    }

    /** {@code binary_cross_entropy_with_logits(x, t)}. */
    static double bce(double x, double t) {
        return softplus(x) - t * x;
    }

    static double bceGrad(double x, double t) {
        return sigmoid(x) - t;
    }

    /** Quality focal loss of a background element: {@code BCE(x, 0) * sigmoid(x)^beta}. */
    static double qflNegative(double x, double beta) {
        return softplus(x) * pow(sigmoid(x), beta);
    }

    static double qflNegativeGrad(double x, double beta) {
        double p = sigmoid(x);
        return pow(p, beta) * (p + beta * sigmoid(-x) * softplus(x));
    }

    /** Quality focal loss at the label class: {@code BCE(x, score) * |score - sigmoid(x)|^beta}. */
    static double qflPositive(double x, double score, double beta) {
        return bce(x, score) * Math.pow(Math.abs(score - sigmoid(x)), beta);
    }

    static double qflPositiveGrad(double x, double score, double beta) {
        double p = sigmoid(x);
        double d = p - score;
        double ad = Math.abs(d);
        double first = d * Math.pow(ad, beta);
        if (ad == 0) {
            return first;
        }
        return first + bce(x, score) * beta * Math.pow(ad, beta - 1) * Math.signum(d) * p * sigmoid(-x);
    }

    /** mmdet GaussianFocalLoss of one probability {@code p} against heatmap target {@code t}. */
    static double gaussianFocal(double p, double t, double alpha, double gamma) {
        double loss = -Math.log(1 - p + GAUSSIAN_EPS) * Math.pow(p, alpha) * Math.pow(1 - t, gamma);
        if (t == 1.0) {
            loss += -Math.log(p + GAUSSIAN_EPS) * Math.pow(1 - p, alpha);
        }
        return loss;
    }

    /** d gaussianFocal / dp. */
    static double gaussianFocalGrad(double p, double t, double alpha, double gamma) {
        double nw = Math.pow(1 - t, gamma);
        double g = nw * (Math.pow(p, alpha) / (1 - p + GAUSSIAN_EPS)
                - alpha * Math.log(1 - p + GAUSSIAN_EPS) * Math.pow(p, alpha - 1));
        if (t == 1.0) {
            g += -Math.pow(1 - p, alpha) / (p + GAUSSIAN_EPS)
                    + alpha * Math.log(p + GAUSSIAN_EPS) * Math.pow(1 - p, alpha - 1);
        }
        return g;
    }

    /** mmdet3d {@code clip_sigmoid}: {@code clamp(sigmoid(x), 1e-4, 1 - 1e-4)}. */
    static double clipSigmoid(double x) {
        return Math.min(Math.max(sigmoid(x), CLIP_EPS), 1 - CLIP_EPS);
    }

    /** d clipSigmoid / dx (zero where the clamp is active, as torch's clamp backward). */
    static double clipSigmoidGrad(double x) {
        double p = sigmoid(x);
        return p >= CLIP_EPS && p <= 1 - CLIP_EPS ? p * sigmoid(-x) : 0.0;
    }

    /** Gradient share of {@code a} in torch's binary {@code maximum(a, b)}: 1, 1/2 on ties, 0. */
    static double maxShare(double a, double b) {
        return a > b ? 1.0 : a == b ? 0.5 : 0.0;
    }

    /**
     * mmdetection {@code giou_loss} for one aligned pair of corner boxes, {@code 1 - GIoU}, with
     * union and enclosing area clamped below by {@code eps}. Writes d loss / d pred into
     * {@code grad[0..3]} when {@code grad} is non-null.
     */
    static double giouLoss(double ax1, double ay1, double ax2, double ay2,
                           double bx1, double by1, double bx2, double by2, double eps, double[] grad) {
        double areaA = (ax2 - ax1) * (ay2 - ay1);
        double areaB = (bx2 - bx1) * (by2 - by1);
        double ltx = Math.max(ax1, bx1);
        double lty = Math.max(ay1, by1);
        double rbx = Math.min(ax2, bx2);
        double rby = Math.min(ay2, by2);
        double iwRaw = rbx - ltx;
        double ihRaw = rby - lty;
        double iw = Math.max(iwRaw, 0);
        double ih = Math.max(ihRaw, 0);
        double inter = iw * ih;
        double unionRaw = areaA + areaB - inter;
        double union = Math.max(unionRaw, eps);
        double ex1 = Math.min(ax1, bx1);
        double ey1 = Math.min(ay1, by1);
        double ex2 = Math.max(ax2, bx2);
        double ey2 = Math.max(ay2, by2);
        double ewRaw = ex2 - ex1;
        double ehRaw = ey2 - ey1;
        double ew = Math.max(ewRaw, 0);
        double eh = Math.max(ehRaw, 0);
        double encloseRaw = ew * eh;
        double enclose = Math.max(encloseRaw, eps);
        double giou = inter / union - (enclose - union) / enclose;
        if (grad != null) {
            // loss = 1 - I/U + (E - U)/E
            double dU = (inter / (union * union) - 1 / enclose) * maxShare(unionRaw, eps);
            double dE = union / (enclose * enclose) * maxShare(encloseRaw, eps);
            double dI = -1 / union - dU; // union = A + B - I
            double dA = dU;
            double dIw = iwRaw >= 0 ? dI * ih : 0;
            double dIh = ihRaw >= 0 ? dI * iw : 0;
            double dEw = ewRaw >= 0 ? dE * eh : 0;
            double dEh = ehRaw >= 0 ? dE * ew : 0;
            double wA = ax2 - ax1;
            double hA = ay2 - ay1;
            grad[0] = -dA * hA - dIw * maxShare(ax1, bx1) - dEw * maxShare(-ax1, -bx1);
            grad[1] = -dA * wA - dIh * maxShare(ay1, by1) - dEh * maxShare(-ay1, -by1);
            grad[2] = dA * hA + dIw * maxShare(-ax2, -bx2) + dEw * maxShare(ax2, bx2);
            grad[3] = dA * wA + dIh * maxShare(-ay2, -by2) + dEh * maxShare(ay2, by2);
        }
        return 1 - giou;
    }
}
