// Compiles each built-in model once at build time and writes its image next to the copied YAML
// (src/model/model-image.ts), so that commands on a built-in model skip mathjs and the compiler.
// The image is only used when the model file and the compiler are the ones hashed here.
import { rmSync, writeFileSync } from 'node:fs';
import { loadModel, resolveModelPath } from '../dist/src/model/load-model.js';
import { imagePath, modelImageFile, modelImageText } from '../dist/src/model/model-image.js';

for (const name of ['northeast']) {
  const ref = `builtin:${name}`;
  const file = resolveModelPath(ref, process.cwd());
  rmSync(imagePath(file), { force: true }); // compile from the file, never from an older image
  writeFileSync(imagePath(file), modelImageText(modelImageFile(file, loadModel(ref))));
}
