/**
 * The one spelling of a stacked model's parameter names: with more than one layer, layer k's cell
 * parameter `name` is `l{k}.name` (`l0.W_x`, `l1.W_x`, …); one-layer models and the readout
 * (`W_q`, `W_o`, `b_o`) use the bare names of docs/cells.md (its "Stacked layers").
 *
 * @module
 */

/** The name of layer `k`'s cell parameter `name` in a model of `layers` layers. */
export function layerParamName(layers: number, k: number, name: string): string {
  return layers === 1 ? name : `l${k}.${name}`;
}

/** A parameter's name without its layer prefix (`l1.A` → `A`; `W_o` → `W_o`). */
export function baseParamName(name: string): string {
  const m = /^l\d+\.(.*)$/.exec(name);
  return m ? m[1] : name;
}
