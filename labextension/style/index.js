// The extension's styles, as a module for the prebuilt extension's loader.
import './base.css';
import './review.css';
