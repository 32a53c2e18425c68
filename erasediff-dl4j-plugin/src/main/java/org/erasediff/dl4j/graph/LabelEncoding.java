package org.erasediff.dl4j.graph;

/** How a conditional graph takes class labels. */
public enum LabelEncoding {
    /** INT32 placeholder {@code [B]} holding the class index; the null label is an index too. */
    INDEX,
    /** FLOAT placeholder {@code [B, width]} holding a one-hot row; the null label is a column too. */
    ONE_HOT
}
