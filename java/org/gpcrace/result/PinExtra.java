package org.gpcrace.result;

/**
 * The pin scenario's own block (kind "pin"): what pagemap showed of the two frames. A trial's
 * frames are "visible" when pagemap gave a frame number both before the move and after it
 * (CAP_SYS_ADMIN); they "differ" when the mapping ended on another frame than the reference holds.
 *
 * @param exampleOldFrame the first trial's frame before the move ("0x1a2b3", "unknown", "not present")
 * @param exampleNewFrame the first trial's frame after the move, same notation
 */
public record PinExtra(long framesVisible, long framesDiffered, String exampleOldFrame, String exampleNewFrame) implements TestExtra {}
