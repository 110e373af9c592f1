package dev.batchwise.assign;

/** How a 4-vector describes an axis-aligned 2D box. */
public enum BoxFormat {
    /** Corners {@code (x1, y1, x2, y2)}. */
    XYXY,
    /** Centre and size {@code (cx, cy, w, h)} (mmdetection calls this "xywh" in its cost configs). */
    XYWH
}
