/**
 * A small builder of an ONNX graph: nodes in order, initializers (the weights, as little-endian
 * float32 `rawData`), and names that are unique across both. Names come from the module's dotted
 * path (`0.weight`, `3/Conv`), with `_1`, `_2`, … added when a name is taken.
 */
import { ATTR_FLOAT, ATTR_INT, ATTR_INTS, FLOAT, INT64, type OnnxTypes } from './proto.js';

type AttributeProto = OnnxTypes.IAttributeProto;
type NodeProto = OnnxTypes.INodeProto;
type TensorProto = OnnxTypes.ITensorProto;

/** A node attribute's value; build one with int(), float() or ints(). */
export type Attribute = Omit<AttributeProto, 'name'>;

export const int = (i: number): Attribute => ({ type: ATTR_INT, i });
export const float = (f: number): Attribute => ({ type: ATTR_FLOAT, f });
export const ints = (values: readonly number[]): Attribute => ({ type: ATTR_INTS, ints: values.slice() });

function littleEndianFloat32(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return bytes;
}

function littleEndianInt64(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return bytes;
}

export class OnnxGraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly taken = new Set<string>();

  /** `reserved`: names the graph's inputs and outputs use, never given to anything else. */
  constructor(reserved: readonly string[] = []) {
    for (const name of reserved) this.taken.add(name);
  }

  /** `hint` if free, else `hint_1`, `hint_2`, …; the name is taken from then on. */
  uniqueName(hint: string): string {
    let name = hint;
    for (let k = 1; this.taken.has(name); k++) name = `${hint}_${k}`;
    this.taken.add(name);
    return name;
  }

  /** A float32 constant of shape `dims` (a copy of `values`); returns its name. */
  initializer(hint: string, values: ArrayLike<number>, dims: readonly number[]): string {
    const name = this.uniqueName(hint);
    this.initializers.push({ name, dims: dims.slice(), dataType: FLOAT, rawData: littleEndianFloat32(values) });
    return name;
  }

  /** A float32 scalar constant. */
  scalar(hint: string, value: number): string {
    return this.initializer(hint, [value], []);
  }

  /** A 1-D int64 constant (shapes for Reshape). */
  int64s(hint: string, values: readonly number[]): string {
    const name = this.uniqueName(hint);
    this.initializers.push({ name, dims: [values.length], dataType: INT64, rawData: littleEndianInt64(values) });
    return name;
  }

  /** Appends a node with one output, named like the node (`hint`, made unique); returns the output's name. */
  node(opType: string, inputs: readonly string[], attributes: Record<string, Attribute> = {}, hint: string = opType): string {
    const name = this.uniqueName(hint);
    const attribute = Object.entries(attributes).map(([key, a]) => ({ name: key, ...a }));
    this.nodes.push({ name, opType, input: inputs.slice(), output: [name], ...(attribute.length > 0 ? { attribute } : {}) });
    return name;
  }

  /**
   * Makes `value` available under `name` (a graph output): renames the output of the node that
   * made it when that node is the last one, else adds an Identity.
   */
  outputAs(value: string, name: string): void {
    const last = this.nodes[this.nodes.length - 1];
    if (last && last.output?.[0] === value) last.output = [name];
    else this.nodes.push({ name: this.uniqueName(`${name}/Identity`), opType: 'Identity', input: [value], output: [name] });
  }
}
