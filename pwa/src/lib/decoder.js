// The zxing-wasm QR decoder, a lazy chunk loaded only when scanning starts on a browser
// without BarcodeDetector. Its wasm comes from our own origin (see vite.config.js).
import { BarcodeDetector, prepareZXingModule } from 'barcode-detector/ponyfill';
import wasmUrl from 'rounds:zxing-reader-wasm?url';

prepareZXingModule({
  overrides: {
    locateFile: (path, prefix) =>
      path.endsWith('.wasm') ? new URL(wasmUrl, self.location.href).href : prefix + path,
  },
});

export { BarcodeDetector };
