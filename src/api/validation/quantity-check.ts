// Resource quantities as validation sees them: parsed once, with the facts the checks need (sign,
// integrality, canonical text). A malformed quantity is reported, never thrown.
import { parseQuantity, QUANTITY_FORMAT_ERROR, type Quantity } from "../quantity.js";

export interface CheckedQuantity {
  quantity: Quantity;
  /** The canonical form, as upstream prints quantities in messages (`2`, `500m`, `1Gi`). */
  text: string;
  negative: boolean;
  /** True when the amount is a whole number of units. */
  integral: boolean;
}

/** null when `value` is not a quantity (JSON numbers are accepted, as upstream's decoder does). */
export function parseQuantityOrNull(value: unknown): CheckedQuantity | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  try {
    const quantity = parseQuantity(String(value));
    return {
      quantity,
      text: quantity.toString(),
      negative: quantity.sign() < 0,
      integral: quantity.milliValue() % 1000n === 0n,
    };
  } catch {
    return null;
  }
}

export { QUANTITY_FORMAT_ERROR };
