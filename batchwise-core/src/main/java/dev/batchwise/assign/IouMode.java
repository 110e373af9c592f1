package dev.batchwise.assign;

/** Overlap measure of mmdetection's {@code bbox_overlaps}: plain IoU or generalised IoU. */
public enum IouMode {
    /** {@code overlap / max(union, 1e-6)}. */
    IOU,
    /** {@code IoU - (enclose - union) / max(enclose, 1e-6)} (Rezatofighi et al.). */
    GIOU
}
